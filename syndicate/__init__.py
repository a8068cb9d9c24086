"""syndicate: offline English<->Vietnamese translation and syndication feeds."""

__version__ = "0.1.0"
