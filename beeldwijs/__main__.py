from beeldwijs.cli import main

raise SystemExit(main())
