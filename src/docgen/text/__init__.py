"""Every word a user reads, in Chinese and English, and the language they are told in."""
