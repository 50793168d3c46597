class ExchangeError(Exception):
    """A file the registry refuses as a whole; the message is for the operator, in Chinese."""


class RowError(Exception):
    """One row that cannot be imported; the engine adds the row number."""
