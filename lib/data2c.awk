# Turn lib/data/NAME.txt word lists (one entry a line) into "static const char *const data_NAME[]".
FNR == 1 {
	if (name != "")
		print "};"
	name = FILENAME
	sub(/.*\//, "", name)
	sub(/\.txt$/, "", name)
	gsub(/[^A-Za-z0-9_]/, "_", name)
	printf "static const char *const data_%s[] = {\n", name
}
NF {
	gsub(/\\/, "\\\\")
	gsub(/"/, "\\\"")
	printf "\t\"%s\",\n", $0
}
END {
	if (name != "")
		print "};"
}
