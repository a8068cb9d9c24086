"""Text rules shared by every source and the glossary: decoding and
normalization (NFC, one Vietnamese tone-mark convention), datelines, and the
portal's export format."""
