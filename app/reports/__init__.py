"""Staff reports: the programme's figures (counted by the database), server-drawn charts, CSV/XLSX exports."""
