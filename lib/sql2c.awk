# Turn lib/sql/NAME.sql files into "static const char sql_NAME[]" definitions.
FNR == 1 {
	if (name != "")
		print ";"
	name = FILENAME
	sub(/.*\//, "", name)
	sub(/\.sql$/, "", name)
	gsub(/[^A-Za-z0-9_]/, "_", name)
	printf "static const char sql_%s[] =\n", name
}
{
	gsub(/\\/, "\\\\")
	gsub(/"/, "\\\"")
	printf "\t\"%s\\n\"\n", $0
}
END {
	if (name != "")
		print ";"
}
