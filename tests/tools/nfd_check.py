# SPDX-License-Identifier: MIT
"""Checks a Node Feature Discovery feature file as nfd-worker v0.19 reads it, and prints its labels.

The rules, from their sources:
- NFD v0.19 source/local/local.go (parseFeatureFile) and docs/usage/customization-guide.md "Local feature
  source": a file of at most 64 KiB (MaxFeatureFileSize 65536); lines are trimmed; blank lines skipped;
  lines starting with '#' are comments, except '# +' which must be a known directive (expiry-time=RFC3339,
  no-feature, no-label); otherwise '<key>[=<value>]' split at the first '=', the value defaulting to "true".
- nfd-worker GetFeatureLabels and pkg/apis/nfd/validate Label(): the key must be a Kubernetes qualified
  name, its namespace feature.node.kubernetes.io (allowed without nfd-master configuration; other
  *.kubernetes.io namespaces are denied), and the value a valid label value.
- Kubernetes apimachinery validation (IsQualifiedName, IsValidLabelValue), as in the Kubernetes
  "Labels and Selectors" documentation: the name part at most 63 characters of [A-Za-z0-9._-] beginning and
  ending with an alphanumeric; the prefix a DNS-1123 subdomain of at most 253 characters; a value at most
  63 characters, empty or of the name part's form.

Usage: nfd_check.py FILE   prints name=value per label (sorted), exit 0; or the errors, exit 1.
       nfd_check.py --self-test   the checker rejects what it must (a checker that cannot fail is a defect).
"""
import datetime
import re
import sys

NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
ALLOWED_NS = "feature.node.kubernetes.io"
MAX_FILE = 65536


def key_errors(key):
    parts = key.split("/")
    if len(parts) != 2:
        return ["%r: no namespace (unprefixed names are prefixed only while DisableAutoPrefix is off)" % key]
    prefix, name = parts
    errs = []
    if not prefix or len(prefix) > 253 or not DNS1123_SUBDOMAIN.match(prefix):
        errs.append("%r: prefix is not a DNS-1123 subdomain of at most 253 characters" % key)
    if prefix != ALLOWED_NS:
        errs.append("%r: namespace %s needs nfd-master -extra-label-ns" % (key, prefix))
    if len(name) > 63 or not NAME.match(name):
        errs.append("%r: name part is not a label name (<= 63 of [A-Za-z0-9._-], alphanumeric ends)" % key)
    return errs


def value_errors(key, value):
    if value == "" or (len(value) <= 63 and NAME.match(value)):
        return []
    return ["%s=%r: not a label value (<= 63 of [A-Za-z0-9._-], alphanumeric ends)" % (key, value)]


def parse(data):
    """Returns (labels, errors)."""
    errors = []
    if len(data) > MAX_FILE:
        errors.append("%d bytes: nfd-worker ignores feature files over %d" % (len(data), MAX_FILE))
    labels = {}
    for raw in data.decode("utf-8", "strict").split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("# +"):
                d = line[3:]
                if d.startswith("expiry-time="):
                    try:
                        datetime.datetime.strptime(d.split("=", 1)[1].strip(), "%Y-%m-%dT%H:%M:%SZ")
                    except ValueError:
                        errors.append("%r: expiry-time is not RFC 3339 (UTC)" % line)
                elif d not in ("no-feature", "no-label"):
                    errors.append("%r: unknown directive" % line)
            continue
        key, _, value = line.partition("=")
        if "=" not in line:
            value = "true"
        errors += key_errors(key) + value_errors(key, value)
        if key in labels:
            errors.append("%r: given twice" % key)
        labels[key] = value
    return labels, errors


def self_test():
    bad = [
        b"amx-usable=true\n",  # unprefixed
        b"example.com/amx=true\n",  # a namespace nfd-master denies by default
        b"node.kubernetes.io/amx=true\n",
        b"feature.node.kubernetes.io/-amx=true\n",
        b"feature.node.kubernetes.io/amx.=true\n",
        b"feature.node.kubernetes.io/" + b"a" * 64 + b"=true\n",
        b"feature.node.kubernetes.io/amx=" + b"v" * 64 + b"\n",
        b"feature.node.kubernetes.io/amx=not ok\n",
        b"feature.node.kubernetes.io/amx=-x\n",
        b"feature.node.kubernetes.io/amx=1.0.0~rc1\n",
        b"feature.node.kubernetes.io/a=1\nfeature.node.kubernetes.io/a=2\n",
        b"# +expiry=2030-01-01T00:00:00Z\nfeature.node.kubernetes.io/a=1\n",
        b"# " + b"x" * MAX_FILE + b"\n",
    ]
    good = b"# a comment\n# +expiry-time=2030-01-01T00:00:00Z\nfeature.node.kubernetes.io/" + b"a" * 63 + \
        b"=" + b"V" * 63 + b"\nfeature.node.kubernetes.io/b.c_d-e\nfeature.node.kubernetes.io/f=\n"
    failed = [b for b in bad if not parse(b)[1]]
    labels, errors = parse(good)
    if failed or errors or labels.get("feature.node.kubernetes.io/b.c_d-e") != "true":
        print("self-test: accepted %r; rejected the good file: %r" % (failed, errors))
        return 1
    print("self-test: %d bad files rejected, the good one accepted" % len(bad))
    return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    with open(sys.argv[1], "rb") as f:
        labels, errors = parse(f.read())
    for e in errors:
        print("nfd_check: " + e, file=sys.stderr)
    for k in sorted(labels):
        print("%s=%s" % (k, labels[k]))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
