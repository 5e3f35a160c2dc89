"""One loader per file format, each turning bytes into a LoadedText; qa.registry.FILE_TYPES names which loader reads which kind."""
