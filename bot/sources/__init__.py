"""Where the facts come from: watched sources (files and HTTP) and the project's own data files."""
