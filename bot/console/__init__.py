"""The console transport: ``/kfor`` commands answered in a terminal, with the watch cycle in the background."""
