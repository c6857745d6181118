"""What the student app and the facilitator's apps share on screen: guarded callbacks, lean
widgets, the stylesheet, the accessible choice group, option labels and the page's query string."""
