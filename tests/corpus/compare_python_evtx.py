#!/usr/bin/env python3
"""Compare `inari dump` with python-evtx, record by record, over a corpus of .evtx files.

Usage:
    compare_python_evtx.py [options] PATH...      (files, or directories searched recursively)

For every .evtx file the script reads the records twice:

* python-evtx (Debian python3-evtx, `Evtx.Evtx.Evtx`): `record.xml()` parsed with
  xml.etree, flattened with the naming rules below. This runs in worker processes
  (multiprocessing, one per core by default) with a time and memory limit per file,
  because some corpus files are deliberately corrupt. Results are cached per file
  (key: absolute path, size, mtime, the source of the python-evtx side of this
  script, python-evtx version) in
  --cache-dir (default $INARI_CORPUS_CACHE, else $XDG_CACHE_HOME/inari/python-evtx,
  else ~/.cache/inari/python-evtx).
* `$INARI_BIN dump FILE` (default build/src/cli/inari under the repository root):
  JSON Lines, one object per record, in record order; damage on stderr; exit code
  0 = everything read, 1 = some damage reported, 3 = nothing readable (docs/cli.md);
  anything else (2, 70, a signal, a timeout, a line that is not a JSON object) is a
  failure.

Output: one line per file, `OK file (N records)` or `DIFF file: record R field F:
inari=.. python-evtx=..` (first --max-diffs diffs) or `FAIL file: ...` (inari crashed,
timed out, printed something that is not JSON). Files python-evtx cannot read are
listed separately at the end; they are not failures, but inari must still read them
without crashing. Last line: `N passed, M failed`. Exit 1 if any file failed, 2 on a
usage error, 77 (ctest SKIP_RETURN_CODE) if python-evtx is not installed.

Field naming (both sides; the inari side is produced by inari itself)
--------------------------------------------------------------------
* <System> children: the element text under the element name (`EventID`, `Channel`,
  `Computer`, `EventRecordID`, `Level`, ...), each attribute as `Elem_Attr`
  (`Provider_Name`, `Provider_Guid`, `EventID_Qualifiers`, `TimeCreated_SystemTime`,
  `Execution_ProcessID`, `Security_UserID`, `Correlation_ActivityID`, ...). An element
  with attributes and empty text gives only the attribute keys.
  By default every System field python-evtx renders is compared; `--system core`
  restricts System to EventRecordID, TimeCreated_SystemTime, EventID, Channel, Computer.
* <EventData>: `<Data Name="X">v</Data>` -> "X": v. Unnamed `<Data>` elements are
  collected in order into a list under "Data". Any other element is named like a
  UserData leaf (`<Binary>` -> "Binary", `<ComplexData Name="N">` -> "ComplexData" and
  "ComplexData_Name"). An attribute on <EventData> itself -> "EventData_Attr".
* <UserData> (and any other section except System, EventData and RenderingInfo):
  every leaf element (no child elements) by its local name, attributes of every
  element as `Elem_Attr`; namespace declarations (xmlns) are not attributes.
  <RenderingInfo> (forwarded events) is ignored: its Level/Task/Keywords would
  collide with System's.
* A key met twice in one record becomes a list of the values in document order.
* Keys present on only one side are compared against "absent", which equals
  null / "" / [] (see below); so an extra non-empty key on either side is a DIFF,
  except xmlns* keys from inari, which are ignored.

Normalization rules (each value pair is equal if any applicable rule says so)
---------------------------------------------------------------------------
python-evtx gives every value as the text of an XML element/attribute; inari gives
typed JSON. Derived from python-evtx 0.6.1 Evtx/Nodes.py, Views.py, BinaryParser.py:

 1. Empty: python-evtx renders NULL substitutions as "" (so element text is None);
    None, "", JSON null, [] and "absent" are all equal.
 2. Lists compare element-wise with these same rules. A one-element list equals its
    element, a list holding one list equals that list (an unnamed <Data> holding a
    WstringArray: python side [["a", "b"]], inari repeated field ["a", "b"]), and as
    a last resort both sides are flattened.
 3. WstringArray: python-evtx renders it as the *escaped text*
    "<string>a</string>\\n<string>b</string>\\n", turned back into ["a", "b"] on the
    python side. Its splitter (WstringArrayTypeNode.string) is wrong when a string is
    empty: re.search skips leading NULs but the slicing starts at the buffer start,
    so ["", "", "", "", "245", "60"] renders as ["245", "245", "60"] and worse. The
    inari list is therefore re-encoded (UTF-16LE, each string NUL-terminated, with
    and without one extra terminator) and run through a copy of that splitter; equal
    if either result matches.
 4. Integers (JSON number): python-evtx prints Int8..UInt64 in decimal
    (str(int)); compared numerically. A python-evtx "0x.." text is also accepted.
 5. Hex strings (inari "0x1a": HexInt32, HexInt64, Keywords, size_t): python-evtx
    prints HexInt32/64 as "0x" + 8/16 zero-padded lower-case digits and size_t
    (SizeTypeNode) in *decimal*; compared numerically (python "0x.." as hex, digits
    as decimal).
 6. Floats (JSON number with a fraction/exponent): python-evtx prints str() of the
    float32/float64; relative difference <= 1e-6.
 7. Booleans: python-evtx prints "True" if the 32-bit value > 0 else "False";
    compared to JSON true/false (and to the strings "true"/"false", any case).
 8. GUIDs: python-evtx prints "{xxxxxxxx-xxxx-...}" lower-case; compared
    case-insensitively with braces stripped on both sides.
 9. Binary: python-evtx prints base64; inari prints upper-case hex. If the inari
    value is an even-length hex string and the python value is valid base64, the
    decoded bytes are compared.
10. FILETIME: python-evtx computes
        datetime.utcfromtimestamp(float(ticks) * 1e-7 - 11644473600)
    (ValueError -> datetime.min) and prints isoformat(' '): "YYYY-MM-DD HH:MM:SS.ffffff",
    without the fraction when it is 0, with float rounding (can be off by 1-2 us from
    truncation). inari prints "YYYY-MM-DDTHH:MM:SS.fffffffZ" (7 digits = exact ticks),
    so the inari value is converted back to ticks and run through the *same*
    expression; the strings must then be identical (microsecond precision, python's
    own rounding). A FILETIME past year 9999 is datetime.min ("0001-01-01 00:00:00")
    in python-evtx; it equals only an inari timestamp that is not a valid date.
11. SYSTEMTIME: python-evtx builds datetime(y, mo, d, h, mi, s, milliseconds) -- it
    passes the milliseconds as *microseconds* -- so 12:00:00.123 renders as
    "12:00:00.000123". An inari timestamp whose fraction is whole milliseconds is
    also accepted in that form.
12. Strings: python-evtx strips trailing NULs, escapes the text into XML and deletes
    the characters [\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]; the XML parser then turns
    "\\r\\n" and "\\r" into "\\n", and in attribute values also "\\t" and "\\n" into " ".
    Text python-evtx renders that XML cannot hold (NUL, U+FFFE, U+FFFF) makes the
    parse fail; the script then deletes those characters and parses again. The
    inari string gets the same treatment (strip trailing NULs, delete the restricted
    characters, NUL, U+FFFE, U+FFFF, line-end normalization, attribute whitespace
    normalization) before an exact comparison.
13. SIDs, names, paths and everything else: exact string comparison after rule 12;
    an inari number is also compared to its decimal text.

Record matching
---------------
If python-evtx rendered every record, inari exited 0 and both have the same number
of records, record i of one must be record i of the other with the same
EventRecordID and equal fields.
Otherwise the two record sequences are aligned on EventRecordID (difflib; python-evtx
records that failed keep their record-header number; an empty <EventRecordID> matches
an inari null or the header number) and aligned pairs must have equal fields.
Unmatched records:
  * only python-evtx rendered it: a DIFF, unless inari reported damage (python-evtx
    checks no checksum or signature, so it also renders records inari rightly drops);
  * only inari has it: accepted where python-evtx failed on that record or stopped
    reading the chunk or file, and everywhere if inari reported damage (inari
    resynchronises after a damaged record, python-evtx stops the chunk there);
    otherwise a DIFF.
Accepted unmatched records are counted in the OK line, e.g.
`OK f.evtx (335 records; inari reported 3 issues; 115 records only inari rendered)`.

python-evtx limits (its failures are listed, not counted as failures): records whose
BinXML is not a template instance (re-saved logs without dependency ids) ->
AttributeError / OverrunBufferException, reported as "plain BinXML"; ANSI strings
that are not ASCII -> UnicodeDecodeError; array types other than WstringArray ->
KeyError; substitution sizes that disagree with the value -> ParseException;
CharacterReference nodes are dropped and EntityReference nodes double-escaped by its
renderer (none in the corpus). It checks no file, chunk or record signature or
checksum and stops a chunk at the first record whose size is 0 or too large.
"""

import argparse
import base64
import binascii
import datetime
import difflib
import fnmatch
import hashlib
import json
import math
import multiprocessing
import os
import queue
import re
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET

DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages"


def import_python_evtx():
    """Returns the Evtx.Evtx module, or None. Falls back to Debian's dist-packages
    when the running interpreter (pyenv, venv) does not see it."""
    try:
        import Evtx.Evtx as evtx_module
        return evtx_module
    except ImportError:
        pass
    if os.path.isdir(DEBIAN_DIST_PACKAGES) and DEBIAN_DIST_PACKAGES not in sys.path:
        sys.path.append(DEBIAN_DIST_PACKAGES)
        try:
            import Evtx.Evtx as evtx_module
            return evtx_module
        except ImportError:
            pass
    return None


def python_evtx_version():
    import_python_evtx()  # puts dist-packages on sys.path if needed
    try:
        from importlib import metadata
        return metadata.version("python-evtx")
    except Exception:
        return "unknown"


# ---------------------------------------------------------------------------
# python-evtx side: XML -> flat fields
# ---------------------------------------------------------------------------

# Characters python-evtx's escape_value() deletes (Views.RESTRICTED_CHARS, applied
# after the text was made ASCII with character references, so only these survive).
RESTRICTED_CHARS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Text XML 1.0 cannot hold, which makes python-evtx's XML unparseable.
XML_INVALID_RAW = re.compile("[\x00\ufffe\uffff]")
XML_INVALID_REFS = re.compile(r"&#(?:0*(?:65534|65535)|x0*(?:fffe|ffff));", re.IGNORECASE)
WSTRING_ARRAY = re.compile(r"(?:<string>.*?</string>\n)+", re.DOTALL)
WSTRING_ITEM = re.compile(r"<string>(.*?)</string>\n", re.DOTALL)

CORE_SYSTEM = ("EventRecordID", "TimeCreated_SystemTime", "EventID", "Channel", "Computer")


def local_name(tag):
    return tag.rsplit("}", 1)[-1]


def text_value(text):
    """Element text as python-evtx meant it: None for empty, list for WstringArray."""
    if text is None or text == "":
        return None
    if text.startswith("<string>") and WSTRING_ARRAY.fullmatch(text):
        return [s if s != "" else None for s in WSTRING_ITEM.findall(text)]
    return text


def flatten_event(root):
    """Flattens one parsed <Event>. Returns (fields, attribute_keys, system_keys)."""
    fields = {}
    attr_keys = set()
    system_keys = set()
    repeated = set()

    def put(key, value, is_attr=False, system=False):
        if is_attr:
            attr_keys.add(key)
        if system:
            system_keys.add(key)
        if key in fields:
            if key not in repeated:
                fields[key] = [fields[key]]
                repeated.add(key)
            fields[key].append(value)
        else:
            fields[key] = value

    def put_attrs(elem, tag):
        for name, value in elem.attrib.items():
            put("%s_%s" % (tag, local_name(name)), value if value != "" else None, True)

    def leaves(elem):
        tag = local_name(elem.tag)
        put_attrs(elem, tag)
        children = list(elem)
        if not children:
            put(tag, text_value(elem.text))
        for child in children:
            leaves(child)

    for section in root:
        sec = local_name(section.tag)
        if sec == "System":
            for child in section:
                tag = local_name(child.tag)
                for name, value in child.attrib.items():
                    put("%s_%s" % (tag, local_name(name)), value if value != "" else None,
                        True, True)
                if not child.attrib or (child.text or "") != "" or len(child):
                    if len(child):
                        for grandchild in child:
                            leaves(grandchild)
                    else:
                        put(tag, text_value(child.text), False, True)
        elif sec == "EventData":
            put_attrs(section, "EventData")
            unnamed = []
            for child in section:
                tag = local_name(child.tag)
                if tag == "Data" and "Name" in child.attrib:
                    if len(child):
                        for grandchild in child:
                            leaves(grandchild)
                    else:
                        put(child.attrib["Name"], text_value(child.text))
                elif tag == "Data":
                    if len(child):
                        for grandchild in child:
                            leaves(grandchild)
                    else:
                        unnamed.append(text_value(child.text))
                else:
                    leaves(child)
            if unnamed:
                put("Data", unnamed)
        elif sec == "RenderingInfo":
            continue
        else:
            put_attrs(section, sec)
            for child in section:
                leaves(child)
    return fields, attr_keys, system_keys


def describe_exception(exc):
    text = str(exc).strip().replace("\n", " ")
    if len(text) > 140:
        text = text[:140] + "..."
    return "%s: %s" % (type(exc).__name__, text) if text else type(exc).__name__


def is_template_instance(record):
    """True if the record's BinXML starts (after an optional fragment header) with a
    TemplateInstance token, the only form python-evtx's renderer handles."""
    try:
        offset = record.offset() + 0x18
        token = record._buf[offset]
        if token & 0x0F == 0x0F:
            token = record._buf[offset + 4]
        return token & 0x0F == 0x0C
    except Exception:
        return True


def parse_python_evtx_xml(xml_text):
    """Returns (root, sanitized?) or raises ET.ParseError."""
    try:
        return ET.fromstring(xml_text), False
    except ET.ParseError:
        cleaned = XML_INVALID_REFS.sub("", XML_INVALID_RAW.sub("", xml_text))
        return ET.fromstring(cleaned), True


def extract_with_python_evtx(path):
    """Runs python-evtx over one file. Returns a JSON-able dict:
    {"records": [{"f": fields, "a": [attr keys], "s": [system keys], "h": header num}
                 or {"err": reason, "h": header num}],
     "chunk_errors": [reason, ...], "fatal": reason or None}"""
    evtx_module = import_python_evtx()
    records = []
    chunk_errors = []
    result = {"records": records, "chunk_errors": chunk_errors, "fatal": None}
    try:
        with evtx_module.Evtx(path) as log:
            file_header = log.get_file_header()
            for chunk_index, chunk in enumerate(file_header.chunks()):
                try:
                    for record in chunk.records():
                        try:
                            header_num = record.record_num()
                        except Exception:
                            header_num = None
                        try:
                            xml_text = record.xml()
                        except (Exception, RecursionError) as exc:
                            reason = describe_exception(exc)
                            if not is_template_instance(record):
                                reason = ("record is plain BinXML, not a template instance; "
                                          "python-evtx renders only template instances (%s)"
                                          % type(exc).__name__)
                            records.append({"err": reason, "h": header_num})
                            continue
                        try:
                            root, _ = parse_python_evtx_xml(xml_text)
                        except ET.ParseError as exc:
                            records.append({"err": "python-evtx rendered malformed XML (%s)" % exc,
                                            "h": header_num})
                            continue
                        fields, attr_keys, system_keys = flatten_event(root)
                        records.append({"f": fields, "a": sorted(attr_keys),
                                        "s": sorted(system_keys), "h": header_num})
                except (Exception, RecursionError) as exc:
                    chunk_errors.append("chunk %d: %s" % (chunk_index, describe_exception(exc)))
    except (Exception, RecursionError) as exc:
        result["fatal"] = describe_exception(exc)
    return result


EXTRACTOR_FUNCTIONS = (local_name, text_value, flatten_event, describe_exception,
                       is_template_instance, parse_python_evtx_xml, extract_with_python_evtx)


def python_evtx_worker(conn, memory_limit):
    """Worker process: receives paths, sends back extraction results."""
    try:
        import resource
        if memory_limit:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    except Exception:
        pass
    sys.setrecursionlimit(5000)
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        try:
            result = extract_with_python_evtx(path)
        except MemoryError:
            result = {"records": [], "chunk_errors": [], "fatal": "MemoryError (limit %d MB)"
                      % (memory_limit >> 20)}
        except BaseException as exc:  # noqa: BLE001 - report whatever happened
            result = {"records": [], "chunk_errors": [], "fatal": describe_exception(exc)}
        conn.send(result)


class PythonEvtxPool:
    """N worker processes, each fed one file at a time; a worker that times out or dies
    is killed (by its own pid) and replaced."""

    def __init__(self, jobs, memory_limit):
        self._ctx = multiprocessing.get_context("spawn")
        self._jobs = jobs
        self._memory_limit = memory_limit

    def _start(self):
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=python_evtx_worker, args=(child, self._memory_limit),
                                 daemon=True)
        proc.start()
        child.close()
        return proc, parent

    def run(self, paths, timeout_for, on_result):
        work = queue.Queue()
        for path in paths:
            work.put(path)

        def slot():
            proc, conn = None, None
            while True:
                try:
                    path = work.get_nowait()
                except queue.Empty:
                    break
                if proc is None:
                    proc, conn = self._start()
                limit = max(5, timeout_for(path))
                started = time.monotonic()
                result = None
                try:
                    conn.send(path)
                    if conn.poll(limit):
                        result = conn.recv()
                except (EOFError, OSError, BrokenPipeError):
                    result = None
                if result is None:
                    timed_out = time.monotonic() - started >= limit
                    proc.kill()
                    proc.join()
                    reason = ("python-evtx did not finish within %ds" % limit if timed_out else
                              "python-evtx worker died (exit code %s)" % proc.exitcode)
                    result = {"records": [], "chunk_errors": [], "fatal": reason,
                              "no_cache": timed_out}
                    conn.close()
                    proc, conn = None, None
                result["seconds"] = round(time.monotonic() - started, 3)
                on_result(path, result)
            if proc is not None:
                try:
                    conn.send(None)
                except OSError:
                    pass
                proc.join(5)
                if proc.is_alive():
                    proc.kill()
                    proc.join()

        threads = [threading.Thread(target=slot) for _ in range(max(1, min(self._jobs, len(paths))))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


# ---------------------------------------------------------------------------
# cache
# ---------------------------------------------------------------------------

def default_cache_dir():
    if os.environ.get("INARI_CORPUS_CACHE"):
        return os.environ["INARI_CORPUS_CACHE"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "inari", "python-evtx")


class Cache:
    def __init__(self, directory):
        self.directory = directory
        # Key on the source of the python-evtx side only, so editing the comparison
        # logic does not throw the (slow) python-evtx results away.
        import inspect
        source = "".join(inspect.getsource(fn) for fn in EXTRACTOR_FUNCTIONS)
        source += repr([RESTRICTED_CHARS.pattern, XML_INVALID_RAW.pattern,
                        XML_INVALID_REFS.pattern, WSTRING_ARRAY.pattern, WSTRING_ITEM.pattern])
        self._salt = hashlib.sha256(source.encode()).hexdigest() + python_evtx_version()
        if directory:
            os.makedirs(directory, exist_ok=True)

    def _path(self, path):
        st = os.stat(path)
        key = "\0".join([os.path.abspath(path), str(st.st_size), str(st.st_mtime_ns), self._salt])
        return os.path.join(self.directory, hashlib.sha256(key.encode()).hexdigest() + ".json")

    def get(self, path):
        if not self.directory:
            return None
        try:
            with open(self._path(path), "r", encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def put(self, path, result):
        if not self.directory or result.get("no_cache"):
            return
        target = self._path(path)
        tmp = "%s.%d.tmp" % (target, os.getpid())
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(result, f, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, target)
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass


# ---------------------------------------------------------------------------
# inari side
# ---------------------------------------------------------------------------

def run_inari(inari_bin, path, timeout):
    """Returns {"records": [...], "rc": int, "stderr": [lines], "problem": str or None}."""
    try:
        proc = subprocess.run([inari_bin, "dump", path], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"records": [], "rc": None, "stderr": [],
                "problem": "inari dump did not finish within %ds" % timeout}
    except OSError as exc:
        return {"records": [], "rc": None, "stderr": [], "problem": "cannot run inari: %s" % exc}
    stderr = [l for l in proc.stderr.decode("utf-8", "replace").splitlines() if l.strip()]
    result = {"records": [], "rc": proc.returncode, "stderr": stderr, "problem": None}
    # docs/cli.md: 0 = no damage, 1 = damage reported, 3 = nothing could be read;
    # 2 (bad command line), 70 (internal error) and signals are failures.
    if proc.returncode not in (0, 1, 3):
        if proc.returncode < 0:
            result["problem"] = "inari dump killed by signal %d" % -proc.returncode
        else:
            result["problem"] = "inari dump exit code %d" % proc.returncode
        if stderr:
            result["problem"] += " (stderr: %s)" % stderr[-1][:200]
        return result
    if proc.returncode in (1, 3) and not stderr:
        result["problem"] = ("inari dump exit code %d but no problem reported on stderr"
                             % proc.returncode)
        return result
    for number, line in enumerate(proc.stdout.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            result["problem"] = "stdout line %d is not JSON (%s)" % (number, exc)
            return result
        if not isinstance(obj, dict):
            result["problem"] = "stdout line %d is not a JSON object" % number
            return result
        result["records"].append(obj)
    return result


# ---------------------------------------------------------------------------
# value comparison
# ---------------------------------------------------------------------------

INARI_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z")
PY_DECIMAL = re.compile(r"[-+]?\d+")
PY_HEX = re.compile(r"0[xX][0-9a-fA-F]+")
HEX_BYTES = re.compile(r"(?:[0-9a-fA-F]{2})*")
GUID = re.compile(r"\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?")
EPOCH_1601 = datetime.datetime(1601, 1, 1)
XMLNS_KEY = re.compile(r"(?:^|_)xmlns(?::|$)", re.IGNORECASE)


def is_empty(value):
    return value is None or value == "" or value == []


def flatten_list(value):
    out = []
    for item in value:
        if isinstance(item, list):
            out.extend(flatten_list(item))
        else:
            out.append(item)
    return out


def normalize_inari_string(text, is_attr):
    text = text.rstrip("\x00")
    text = XML_INVALID_RAW.sub("", RESTRICTED_CHARS.sub("", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if is_attr:
        text = text.replace("\t", " ").replace("\n", " ")
    return text


def python_number(text):
    text = text.strip()
    if PY_HEX.fullmatch(text):
        return int(text, 16)
    if PY_DECIMAL.fullmatch(text):
        return int(text)
    return None


def python_evtx_filetime_text(ticks):
    """What python-evtx prints for a FILETIME of `ticks` (BinaryParser.parse_filetime)."""
    try:
        value = datetime.datetime.utcfromtimestamp(float(ticks) * 1e-7 - 11644473600)
    except ValueError:
        value = datetime.datetime.min
    return value.isoformat(" ")


def time_matches(inari_text, py_text):
    m = INARI_TIME.fullmatch(inari_text)
    if not m:
        return None  # not a timestamp: no opinion
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    fraction = (m.group(7) or "").ljust(9, "0")
    try:
        moment = datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return py_text == "0001-01-01 00:00:00"
    if py_text == "0001-01-01 00:00:00" and year > 1:
        return False
    delta = moment - EPOCH_1601
    ticks = (delta.days * 86400 + delta.seconds) * 10_000_000 + int(fraction[:7])
    if python_evtx_filetime_text(ticks) == py_text:
        return True
    # SYSTEMTIME: python-evtx passes milliseconds as microseconds.
    if int(fraction[3:]) == 0:
        millis = int(fraction[:3])
        if moment.replace(microsecond=millis).isoformat(" ") == py_text:
            return True
    return False


def python_evtx_wstring_array(strings):
    """The list python-evtx renders for a WstringArray holding `strings`: a copy of
    WstringArrayTypeNode.string() (Nodes.py) run over the NUL-terminated UTF-16LE
    encoding. Its regex search skips leading NULs and then slices from the start of
    the buffer, so empty strings get lost or shift the rest. None if python-evtx
    would raise."""
    binary = "".join(s + "\x00" for s in strings).encode("utf-16-le", "surrogatepass")
    acc = []
    try:
        while len(binary) > 0:
            match = re.search(b"((?:[^\x00].)+)", binary)
            if match:
                frag = match.group()
                acc.append(frag.decode("utf16"))
                binary = binary[len(frag) + 2:]
                if len(binary) == 0:
                    break
            frag = re.search(b"(\x00*)", binary).group()
            if len(frag) % 2 != 0:
                return None
            acc.extend([""] * (len(frag) // 2))
            binary = binary[len(frag):]
    except UnicodeDecodeError:
        return None
    return acc


def lists_equal(left, right, is_attr):
    """left: inari list, right: python-evtx list (see rules 2 and 3)."""
    if len(left) == len(right) and all(values_equal(a, b, is_attr) for a, b in zip(left, right)):
        return True
    if len(right) == 1 and isinstance(right[0], list):
        return lists_equal(left, right[0], is_attr)
    if len(left) == 1 and isinstance(left[0], list):
        return lists_equal(left[0], right, is_attr)
    if (all(x is None or isinstance(x, str) for x in left)
            and all(not isinstance(y, list) for y in right)):
        for extra in ([], [""]):
            rendered = python_evtx_wstring_array([x or "" for x in left] + extra)
            if (rendered is not None and len(rendered) == len(right)
                    and all(values_equal(a, b, is_attr) for a, b in zip(rendered, right))):
                return True
    flat_left, flat_right = flatten_list(left), flatten_list(right)
    if (flat_left, flat_right) != (left, right) and len(flat_left) == len(flat_right):
        return all(values_equal(a, b, is_attr) for a, b in zip(flat_left, flat_right))
    return False


def values_equal(inari_value, py_value, is_attr):
    """True if inari's JSON value and python-evtx's text mean the same thing."""
    if isinstance(inari_value, str):
        inari_value = normalize_inari_string(inari_value, is_attr)
    if is_empty(inari_value) and is_empty(py_value):
        return True
    if isinstance(inari_value, list) or isinstance(py_value, list):
        return lists_equal(inari_value if isinstance(inari_value, list) else [inari_value],
                           py_value if isinstance(py_value, list) else [py_value], is_attr)
    if is_empty(inari_value) or is_empty(py_value):
        return False
    py_text = py_value
    if isinstance(inari_value, bool):
        return py_text.strip().lower() == ("true" if inari_value else "false")
    if isinstance(inari_value, int):
        return python_number(py_text) == inari_value
    if isinstance(inari_value, float):
        try:
            other = float(py_text)
        except ValueError:
            return False
        if math.isnan(inari_value) or math.isnan(other):
            return math.isnan(inari_value) and math.isnan(other)
        return math.isclose(inari_value, other, rel_tol=1e-6, abs_tol=1e-300)
    if not isinstance(inari_value, str):
        return False
    text = inari_value  # already normalized (rule 12)
    if text == py_text:
        return True
    if text == "" and is_empty(py_text):
        return True
    lowered = text.lower()
    if lowered in ("true", "false") and py_text in ("True", "False"):
        return lowered == py_text.lower()
    if PY_HEX.fullmatch(text):
        number = python_number(py_text)
        return number is not None and number == int(text, 16)
    if GUID.fullmatch(text) and GUID.fullmatch(py_text):
        return text.strip("{}").lower() == py_text.strip("{}").lower()
    timed = time_matches(text, py_text)
    if timed is not None:
        return timed
    if HEX_BYTES.fullmatch(text):
        try:
            decoded = base64.b64decode(py_text, validate=True)
        except (binascii.Error, ValueError):
            decoded = None
        if decoded is not None and decoded == bytes.fromhex(text):
            return True
    return False


def show(value, limit=120):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "...(%d chars)" % len(text)


NO_ID = "(no EventRecordID)"


def record_id_of(py_record):
    """python-evtx's <EventRecordID>, or None if the element is empty."""
    value = py_record["f"].get("EventRecordID")
    return python_number(value) if isinstance(value, str) else None


def alignment_key(py_record):
    if "err" in py_record:
        return py_record.get("h")  # the record header's number
    rid = record_id_of(py_record)
    return rid if rid is not None else NO_ID


def inari_record_id(record):
    value = record.get("EventRecordID")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return python_number(value)
    return None


def ids_match(inari_id, py_record):
    rid = record_id_of(py_record)
    if rid is not None:
        return inari_id == rid
    # Empty <EventRecordID> in the XML: inari may leave it empty or use the header's.
    return inari_id is None or inari_id == py_record.get("h")


def compare_fields(inari_record, py_record, system_mode, ignore=()):
    """Yields (field, inari value, python value) for each difference."""
    fields = py_record["f"]
    attr_keys = set(py_record["a"])
    ignored = set()
    if system_mode == "core":
        ignored = set(py_record["s"]) - set(CORE_SYSTEM)
    for key in sorted(set(fields) | set(inari_record)):
        if key in ignored or any(fnmatch.fnmatchcase(key, pattern) for pattern in ignore):
            continue
        if key not in fields and XMLNS_KEY.search(key):
            continue
        inari_value = inari_record.get(key)
        py_value = fields.get(key)
        if (key == "EventRecordID" and is_empty(py_value) and not isinstance(inari_value, bool)
                and inari_value == py_record.get("h")):
            continue  # no <EventRecordID> in the XML: inari may use the record header's
        if not values_equal(inari_value, py_value, key in attr_keys):
            yield key, inari_value, py_value


# ---------------------------------------------------------------------------
# file comparison
# ---------------------------------------------------------------------------

class FileReport:
    def __init__(self, path):
        self.path = path
        self.status = "OK"   # OK, DIFF, FAIL, UNREADABLE
        self.lines = []
        self.python_problem = None  # text for the "python-evtx cannot read" list


def summarize_python_errors(py):
    reasons = {}
    for record in py["records"]:
        if "err" in record:
            # Group messages that differ only in offsets and sizes.
            reason = re.sub(r"\(read: 0x[0-9a-f]+, buffer length: 0x[0-9a-f]+\)", "",
                            record["err"]).strip()
            reasons[reason] = reasons.get(reason, 0) + 1
    for error in py.get("chunk_errors", []):
        reason = error.split(": ", 1)[-1]
        reasons["chunk aborted: " + reason] = reasons.get("chunk aborted: " + reason, 0) + 1
    if py.get("fatal"):
        reasons[py["fatal"]] = reasons.get(py["fatal"], 0) + 1
    parts = ["%s (x%d)" % (reason, count) if count > 1 else reason
             for reason, count in sorted(reasons.items(), key=lambda kv: -kv[1])]
    return "; ".join(parts[:4]) + ("; ..." if len(parts) > 4 else "")


def compare_file(path, display, py, inari, max_diffs, system_mode, ignore=()):
    report = FileReport(path)
    good = [r for r in py["records"] if "err" not in r]
    bad_count = len(py["records"]) - len(good)
    python_complete = bad_count == 0 and not py.get("chunk_errors") and not py.get("fatal")
    if not python_complete:
        total = len(py["records"])
        report.python_problem = "%s: %s" % (display, summarize_python_errors(py))
        if total:
            report.python_problem += " (%d of %d records rendered)" % (len(good), total)

    if inari["problem"]:
        report.status = "FAIL"
        report.lines.append("FAIL %s: %s" % (display, inari["problem"]))
        return report
    if not good:
        report.status = "UNREADABLE"
        return report

    inari_records = inari["records"]
    inari_damaged = inari["rc"] in (1, 3)
    diffs = []

    def add_diff(text):
        diffs.append(text)

    if python_complete and not inari_damaged and len(inari_records) != len(good):
        add_diff("record count: inari=%d python-evtx=%d" % (len(inari_records), len(good)))
    if python_complete and not inari_damaged and len(inari_records) == len(good):
        for position, (mine, theirs) in enumerate(zip(inari_records, good)):
            rid = record_id_of(theirs)
            if not ids_match(inari_record_id(mine), theirs):
                add_diff("record #%d: EventRecordID inari=%s python-evtx=%s"
                         % (position, show(mine.get("EventRecordID")), rid))
                if len(diffs) >= max_diffs:
                    break
                continue
            for key, a, b in compare_fields(mine, theirs, system_mode, ignore):
                add_diff("record %s field %s: inari=%s python-evtx=%s" % (rid, key, show(a), show(b)))
                if len(diffs) >= max_diffs:
                    break
            if len(diffs) >= max_diffs:
                break
        compared = min(len(inari_records), len(good))
        note = ""
    else:
        # Align on EventRecordID; python-evtx error records keep their header number.
        py_ids = [alignment_key(r) for r in py["records"]]
        inari_ids = [inari_record_id(r) for r in inari_records]
        inari_ids = [NO_ID if x is None else x for x in inari_ids]
        matcher = difflib.SequenceMatcher(None, inari_ids, py_ids, autojunk=False)
        compared = 0
        python_only = []
        inari_only_unexplained = []
        inari_only_explained = 0
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for i, j in zip(range(i1, i2), range(j1, j2)):
                    theirs = py["records"][j]
                    if "err" in theirs:
                        inari_only_explained += 1
                        continue
                    compared += 1
                    if len(diffs) < max_diffs:
                        for key, a, b in compare_fields(inari_records[i], theirs, system_mode, ignore):
                            add_diff("record %s field %s: inari=%s python-evtx=%s"
                                     % (py_ids[j], key, show(a), show(b)))
                            if len(diffs) >= max_diffs:
                                break
                continue
            for j in range(j1, j2):
                if "err" not in py["records"][j]:
                    python_only.append(py_ids[j])
            failed_here = sum(1 for j in range(j1, j2) if "err" in py["records"][j])
            extra = i2 - i1
            explained = min(extra, failed_here)
            if inari_damaged:
                explained = extra  # recovered by inari past damage python-evtx stops at
            elif not python_complete and j2 == len(py_ids):
                explained = extra  # python-evtx stopped early (chunk or file error)
            inari_only_explained += explained
            inari_only_unexplained.extend(inari_ids[i1 + explained:i2])
        if python_only and not inari_damaged:
            add_diff("%d records python-evtx rendered are missing from inari (EventRecordID %s)"
                     % (len(python_only), ", ".join(str(x) for x in python_only[:8])))
        if inari_only_unexplained:
            add_diff("%d records inari emitted have no counterpart in python-evtx "
                     "(EventRecordID %s)" % (len(inari_only_unexplained),
                                            ", ".join(str(x) for x in inari_only_unexplained[:8])))
        notes = []
        if inari_damaged:
            notes.append("inari reported %d issue%s" % (len(inari["stderr"]),
                                                        "" if len(inari["stderr"]) == 1 else "s"))
        if python_only:
            notes.append("%d records only python-evtx rendered" % len(python_only))
        if inari_only_explained:
            notes.append("%d records only inari rendered" % inari_only_explained)
        if bad_count:
            notes.append("python-evtx failed on %d" % bad_count)
        note = "; " + "; ".join(notes) if notes else ""

    if diffs:
        report.status = "DIFF"
        report.lines.extend("DIFF %s: %s" % (display, d) for d in diffs[:max_diffs])
    else:
        report.lines.append("OK %s (%d records%s)" % (display, compared, note))
    return report


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def find_files(paths):
    found = []
    for path in paths:
        if os.path.isdir(path):
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames.sort()
                for name in sorted(filenames):
                    if name.lower().endswith(".evtx"):
                        found.append(os.path.join(dirpath, name))
        elif os.path.isfile(path):
            found.append(path)
        else:
            raise FileNotFoundError(path)
    seen = set()
    unique = []
    for path in found:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def main(argv):
    repo_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="+", help=".evtx files or directories (recursive)")
    parser.add_argument("--inari", default=os.environ.get("INARI_BIN") or
                        os.path.join(repo_root, "build", "src", "cli", "inari"),
                        help="inari binary (default: $INARI_BIN, else build/src/cli/inari)")
    parser.add_argument("-j", "--jobs", type=int, default=len(os.sched_getaffinity(0)),
                        help="python-evtx worker processes (default: usable cores)")
    parser.add_argument("--cache-dir", default=default_cache_dir(),
                        help="python-evtx result cache (default: %(default)s)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="python-evtx seconds per file, plus 60 s per MB (default: 120)")
    parser.add_argument("--inari-timeout", type=float, default=120.0,
                        help="seconds per `inari dump` run (default: 120)")
    parser.add_argument("--memory-mb", type=int, default=2048,
                        help="address-space limit of a python-evtx worker (default: 2048)")
    parser.add_argument("--max-diffs", type=int, default=5, help="diffs shown per file")
    parser.add_argument("--system", choices=("all", "core"), default="all",
                        help="System fields to compare: all that python-evtx renders, or only "
                             "EventRecordID, TimeCreated_SystemTime, EventID, Channel, Computer")
    parser.add_argument("--ignore-field", action="append", default=[], metavar="GLOB",
                        help="leave fields matching GLOB out of the comparison (repeatable)")
    parser.add_argument("--python-only", action="store_true",
                        help="only run python-evtx (fill the cache, print timing)")
    args = parser.parse_args(argv)

    if import_python_evtx() is None:
        if os.environ.get("CI"):  # CI installs it (scripts/setup.sh --test): a missing one is a failure
            print("FAIL: python-evtx (Debian package python3-evtx) is not installed", file=sys.stderr)
            return 1
        print("SKIP: python-evtx (Debian package python3-evtx) is not installed", file=sys.stderr)
        return 77
    try:
        files = find_files(args.paths)
    except FileNotFoundError as exc:
        print("error: no such file or directory: %s" % exc, file=sys.stderr)
        return 2
    if not files:
        print("error: no .evtx files under %s" % " ".join(args.paths), file=sys.stderr)
        return 2
    if not args.python_only and not (os.path.isfile(args.inari) and os.access(args.inari, os.X_OK)):
        print("error: inari binary not found: %s (set INARI_BIN)" % args.inari, file=sys.stderr)
        return 2

    common = os.path.commonpath([os.path.abspath(p) for p in files])
    if os.path.isfile(common):
        common = os.path.dirname(common)

    def display(path):
        return os.path.relpath(os.path.abspath(path), common)

    cache = Cache(None if args.no_cache else args.cache_dir)
    started = time.monotonic()
    py_results = {}
    todo = []
    for path in files:
        cached = cache.get(path)
        if cached is not None:
            py_results[path] = cached
        else:
            todo.append(path)
    # Largest files first so the slowest ones do not finish last on one core.
    todo.sort(key=lambda p: -os.path.getsize(p))

    inari_results = {}
    inari_thread = None
    if not args.python_only:
        def run_all_inari():
            # One inari at a time next to the python-evtx workers; inari is fast.
            for path in files:
                inari_results[path] = run_inari(args.inari, path, args.inari_timeout)
        inari_thread = threading.Thread(target=run_all_inari)
        inari_thread.start()

    lock = threading.Lock()
    done = [0]

    def on_result(path, result):
        cache.put(path, result)
        with lock:
            py_results[path] = result
            done[0] += 1
            if sys.stderr.isatty():
                print("\rpython-evtx: %d/%d files" % (done[0], len(todo)), end="", file=sys.stderr)

    if todo:
        pool = PythonEvtxPool(max(1, args.jobs), args.memory_mb << 20)
        pool.run(todo, lambda p: int(args.timeout + 60 * os.path.getsize(p) / 1e6), on_result)
        if sys.stderr.isatty():
            print(file=sys.stderr)
    python_seconds = time.monotonic() - started
    py_cpu = sum(r.get("seconds", 0) for p, r in py_results.items() if p in set(todo))
    print("python-evtx: %d files (%d from cache, %d parsed in %.1f s wall, %.1f s in workers, "
          "%d jobs)" % (len(files), len(files) - len(todo), len(todo), python_seconds, py_cpu,
                        args.jobs))

    if args.python_only:
        unreadable = [(display(p), summarize_python_errors(r)) for p, r in py_results.items()
                      if any("err" in x for x in r["records"]) or r.get("chunk_errors")
                      or r.get("fatal")]
        for name, reason in sorted(unreadable):
            print("python-evtx cannot read: %s: %s" % (name, reason))
        print("%d records rendered" % sum(sum(1 for x in r["records"] if "err" not in x)
                                          for r in py_results.values()))
        return 0

    inari_thread.join()
    passed = failed = 0
    unreadable = []
    for path in files:
        report = compare_file(path, display(path), py_results[path], inari_results[path],
                              args.max_diffs, args.system, args.ignore_field)
        for line in report.lines:
            print(line)
        if report.python_problem:
            unreadable.append(report.python_problem)
        if report.status in ("DIFF", "FAIL"):
            failed += 1
        elif report.status == "OK":
            passed += 1
    if unreadable:
        print("python-evtx cannot read (%d files; compared only what it rendered, not failures):"
              % len(unreadable))
        for line in unreadable:
            print("  python-evtx cannot read: " + line)
    not_compared = len(files) - passed - failed
    if not_compared:
        print("%d files not compared: python-evtx rendered no record" % not_compared)
    print("total %.1f s" % (time.monotonic() - started))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
