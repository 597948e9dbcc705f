"""What one chunk, one upload and one message may hold, enforced by the server whatever the
client says (docs/security.md, promise 2). File and message sizes are the settings the
multipart composer already announces (MAX_UPLOAD_FILE_BYTES, MAX_UPLOAD_MESSAGE_BYTES)."""

from datetime import timedelta

MAX_FILES = 30  # files in one message, multipart or uploaded
CHUNK_BYTES = 1024 * 1024  # what the phone sends at a time (queue.js reads it from create)
# The most one PATCH may carry (below DATA_UPLOAD_MAX_MEMORY_SIZE, so Django reads it whole).
MAX_CHUNK_BYTES = 4 * 1024 * 1024
# The least a chunk but the last may carry, and the most parts one upload may have: a file sent
# a byte at a time would cost a request, a row update and a stored part per byte.
MIN_CHUNK_BYTES = 64 * 1024
MAX_PARTS = 1000
MAX_METADATA_BYTES = 4096
LIFETIME = timedelta(hours=24)  # an unfinished or unused upload is swept after this
