"""flake8-flask-devserver: catch Flask's development server and debugger on their way to production."""

__version__ = "0.1.0"
