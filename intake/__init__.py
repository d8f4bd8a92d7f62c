"""intake: reads received folders of application books, cross-checks them, writes a review."""

__version__ = "0.1.0"
