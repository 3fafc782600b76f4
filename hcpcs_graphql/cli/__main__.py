from __future__ import annotations

import sys

from hcpcs_graphql.cli.main import main

sys.exit(main())
