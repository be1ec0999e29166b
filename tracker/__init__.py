"""tracker: who reacted to what, from news articles, with the sentence as evidence."""

from tracker.types import Article, Reaction

__all__ = ["Article", "Reaction", "__version__"]
__version__ = "0.1.0"
