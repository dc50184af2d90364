"""What leaves docgen: safe names, atomic writes, PDF through LibreOffice."""
