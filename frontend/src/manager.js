// The student page's widget manager: ipywidgets' ManagerBase over one kernel connection, as
// @jupyter-widgets/jupyterlab-manager's KernelWidgetManager does, without JupyterLab.
import { shims } from '@jupyter-widgets/base';
import { ManagerBase } from '@jupyter-widgets/base-manager';
import { lookup } from './registry.js';

export class StudentWidgetManager extends ManagerBase {
  /** @param kernel a @jupyterlab/services KernelConnection */
  constructor(kernel) {
    super();
    this.kernel = kernel;
    kernel.registerCommTarget(this.comm_target_name, (comm, msg) =>
      this.handle_comm_open(new shims.services.Comm(comm), msg)
    );
  }

  /** Only the classes this page bundles (src/registry.js); others fail with a clear error. */
  async loadClass(className, moduleName, moduleVersion) {
    const found = lookup(className, moduleName, moduleVersion);
    if (found instanceof Error) {
      console.error(found.message);
      throw found;
    }
    return found;
  }

  /** A description marked `description_allow_html` is shown as its text: the page bundles no
   * HTML sanitizer, and no student widget uses HTML in a description. */
  inline_sanitize(source) {
    const element = document.createElement('span');
    element.textContent = source;
    return element.innerHTML;
  }

  async _create_comm(targetName, modelId, data, metadata, buffers) {
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) {
      comm.open(data, metadata, buffers);
    }
    return new shims.services.Comm(comm);
  }

  async _get_comm_info() {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === 'ok' ? reply.content.comms : {};
  }
}
