"""Text rules shared by every source and the glossary: decoding and
normalization (normalize), invisible and control characters in text and in
what is printed (hygiene), the one Vietnamese tone-mark convention and
folding (vietnamese), datelines (dates), and the portal's export format and
article block rules (portal). Depends on nothing in the package but the
article record."""
