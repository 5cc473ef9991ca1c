"""The bundled letter templates (``brevmal-nb.docx``, ``brevmal-nn.docx``), made by ``build.py``."""
