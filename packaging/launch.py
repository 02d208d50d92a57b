"""The frozen program's one entry point: the counter and its subcommands, or the demo's agency.

A frozen build is one executable, so the demo's sandbox agency (``clinic-agency-sandbox``
in an installed environment) runs as ``clinic-pos agency-sandbox`` (see
``desktop.sync.demo_agency.sandbox_command``).
"""

import sys

if len(sys.argv) > 1 and sys.argv[1] == "agency-sandbox":
    from desktop.sandbox.server import main as sandbox

    sys.exit(sandbox(sys.argv[2:]))

from desktop.cli import main

sys.exit(main())
