"""Discord's message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)."""

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER_TEXT = 2048
EMBED_TOTAL = 6000  # all titles, descriptions, field names and values, footers of one message
EMBEDS_PER_MESSAGE = 10
THREAD_NAME = 100
AUTOCOMPLETE_CHOICES = 25
CHOICE_NAME = 100
CUSTOM_ID = 100
