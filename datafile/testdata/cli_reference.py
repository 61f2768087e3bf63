"""Records how the Tinybird CLI splits datafiles, for cli_reference_test.go.

The CLI (tinybird/datafile parse()) splits each line with Python's
shlex.shlex(line) in non-POSIX mode with whitespace_split, re-splits a line
shlex refuses (unterminated quote) as shlex.quote(line), skips lines with no
words, opens a block on "KEYWORD >", and ends the block at a line that does
not start with a space or tab and whose first word is a known command. This
script runs that loop with the real shlex on random lines and files and
writes the results to cli_reference.json. Regenerate with:

    python3 testdata/cli_reference.py > testdata/cli_reference.json
"""
import json
import random
import shlex
import sys
from io import StringIO

# The words that end a block: every directive of the classic CLI's table and
# of the Forward CLI's per-kind tables (rules/directives.go), but FROM, which
# the classic CLI exempts, and SETTINGS, which the Forward CLI does not know.
KNOWN = set((
    "backfill cache copy_mode copy_schedule datasource deployment_method description engine engine_ "
    "engine_columns engine_is_deleted engine_join_strictness engine_join_type engine_key_columns "
    "engine_partition_key engine_primary_key engine_sampling_key engine_settings engine_sign "
    "engine_sorting_key engine_ttl engine_ver engine_version export_bucket_uri export_compression "
    "export_connection_name export_file_template export_format export_kafka_topic export_schedule "
    "export_service export_strategy export_write_strategy filter forward_query gcs_access_id "
    "gcs_hmac_access_id gcs_hmac_secret gcs_secret gcs_service_account_credentials_json import_bucket_uri "
    "import_connection_name import_export_bucket import_external_datasource import_from_timestamp "
    "import_query import_schedule import_service import_strategy import_table_arn include indexes indices "
    "kafka_auto_offset_reset kafka_bootstrap_servers kafka_connection_name kafka_group_id kafka_key "
    "kafka_key_avro_deserialization kafka_key_format kafka_sasl_mechanism "
    "kafka_sasl_oauthbearer_aws_external_id kafka_sasl_oauthbearer_aws_region "
    "kafka_sasl_oauthbearer_aws_role_arn kafka_sasl_oauthbearer_method kafka_schema_registry_url "
    "kafka_secret kafka_security_protocol kafka_ssl_ca_pem kafka_store_binary_headers kafka_store_headers "
    "kafka_store_raw_value kafka_target_partitions kafka_topic kafka_value_format maintainer mode node "
    "partition_key primary_key resource s3_access_key s3_arn s3_region s3_secret sampling_key schema "
    "scope shared_with sorting_key source sql tags target_datasource test token ttl type version "
).split())


def known(cmd):
    return cmd.lower() in KNOWN


def split(line):
    try:
        sa = shlex.shlex(line)
        sa.whitespace_split = True
        return list(sa), False
    except ValueError:
        sa = shlex.shlex(shlex.quote(line))
        sa.whitespace_split = True
        return list(sa), True


def parse(src):
    out, multiline, cmd, body = [], False, None, ""
    for line in StringIO(src, newline=None):
        words, requoted = split(line)
        if not words:
            continue
        c, args = words[0], words[1:]
        if multiline and known(c) and not line.startswith((" ", "\t")):
            out.append({"kw": cmd, "body": body})
            multiline = False
        if not multiline:
            if len(args) >= 1 and args[0] == ">":
                multiline, cmd, body = True, c, ""
            elif not requoted:
                out.append({"kw": c, "args": args})
        else:
            body += line
    if multiline:
        out.append({"kw": cmd, "body": body})
    return out


def main():
    rnd = random.Random(7)
    alphabet = ["a", "b", "R", "E", " ", " ", "\t", '"', "'", "#", ">", "_", "-", "x"]
    lines = []
    for _ in range(2000):
        line = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 14)))
        words, requoted = split(line + "\n")
        lines.append({"line": line, "words": [] if requoted else words, "unterminated": requoted})
    frags = ["TOKEN a READ", "token 'a b' APPEND", "SQL >", "  SELECT 1", "\tTOKEN x APPEND", "NODE n", "FROM t",
             "# c", "   # c", "", "  ", "SCHEMA >", "DESCRIPTION > hi", "TYPE endpoint", "SELECT 'x",
             "TOKEN \"open READ", "ENGINE_TTL x", "FOO bar", "  x # y", "node m", "SETTINGS a=1", ">", "TOKEN >",
             "KAFKA_TOPIC t", "TOKEN a#b READ", "  '", "INDEXES >"]
    files = []
    for _ in range(600):
        sep = rnd.choice(["\n", "\r\n", "\r"])
        src = sep.join(rnd.choice(frags) for _ in range(rnd.randint(0, 12))) + rnd.choice(["", sep])
        files.append({"src": src, "directives": parse(src)})
    json.dump({"lines": lines, "files": files}, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


main()
