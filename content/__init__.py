"""Siaran's domain core (see the README's layout)."""

import warnings

# twitter-text-parser imports pkg_resources, which setuptools 80 deprecates with a UserWarning on
# every start. It is the library's, not actionable here, and it would break the CLI's promise of
# one sentence on stderr; setuptools is pinned below 81, where pkg_resources still exists.
warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)
