"""qcode: qualitative discourse analysis of anonymised counselling chats and e-mails.

Heavy libraries (spaCy, pandas, Textual) are imported lazily by the modules that need them so
that ``qcode --help`` stays fast.
"""

__version__ = "0.1.0"
