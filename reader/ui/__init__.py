"""The Textual interface. Only this package imports Textual; the domain never does."""
