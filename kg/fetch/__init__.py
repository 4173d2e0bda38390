"""``kg fetch``: documents from the official open-data services, into a folder that
``kg build`` reads, with a manifest that records where each came from."""
