"""On PYTHONPATH for the processes the tests start: install the network guard there too."""

import siaran_netguard

siaran_netguard.install()
