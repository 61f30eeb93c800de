"""Files planflow keeps and writes: evidence files, the progress report as .docx, mail."""
