"""The Discord transport: the /kfor cog, the command tree and its error handling, embeds, sync."""
