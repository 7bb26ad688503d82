#!/usr/bin/env python3
"""Writes the snapshot XML corpus (tests/Virt.Testing.Tests/Snapshots/Corpus): domain.xml, the domain every snapshot
belongs to, and NAME.xml per snapshot document, written from libvirt's formatsnapshot documentation. Names starting
with 'create-' are plain snapshot-create inputs; the others are snapshot-create --redefine inputs.
Expected outputs: scripts/capture-virsh-snapshotxml.sh. Usage: scripts/snapshot-corpus/make.py"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'tests', 'Virt.Testing.Tests', 'Snapshots', 'Corpus')
UUID = '00000000-0000-4000-a000-000000000001'

DOMAIN = """<domain type='test'>
  <name>snapdom</name>
  <uuid>%s</uuid>
  <memory unit='KiB'>524288</memory>
  <currentMemory unit='KiB'>524288</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
    <boot dev='hd'/>
  </os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/snap/vda.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='/var/lib/snap/vdb.img'/>
      <target dev='vdb' bus='virtio'/>
    </disk>
  </devices>
</domain>
""" % UUID

# The domain as embedded in a snapshot (libvirt's dumpxml of it, indented by the snapshot formatter).
EMBEDDED = """<domain type='test'>
<name>snapdom</name>
<uuid>%s</uuid>
<memory unit='KiB'>524288</memory>
<currentMemory unit='KiB'>524288</currentMemory>
<vcpu placement='static'>1</vcpu>
<os>
<type arch='x86_64'>hvm</type>
<boot dev='hd'/>
</os>
<clock offset='utc'/>
<on_poweroff>destroy</on_poweroff>
<on_reboot>restart</on_reboot>
<on_crash>destroy</on_crash>
<devices>
<disk type='file' device='disk'>
<driver name='qemu' type='qcow2'/>
<source file='/var/lib/snap/vda.qcow2'/>
<target dev='vda' bus='virtio'/>
</disk>
<disk type='file' device='disk'>
<driver name='qemu' type='raw'/>
<source file='/var/lib/snap/vdb.img'/>
<target dev='vdb' bus='virtio'/>
</disk>%s
</devices>%s
</domain>""" % (UUID, '%s', '%s')


def dom(devices='', tail=''):
    return EMBEDDED % (devices, tail)


def snap(name, body='', state='shutoff', time='1386166249', domain=None, before=''):
    domain = dom() if domain is None else domain
    parts = ['<domainsnapshot>', '<name>%s</name>' % name] if name else ['<domainsnapshot>']
    if before:
        parts.append(before)
    if state:
        parts.append('<state>%s</state>' % state)
    if time:
        parts.append('<creationTime>%s</creationTime>' % time)
    if body:
        parts.append(body)
    if domain:
        parts.append(domain)
    parts.append('</domainsnapshot>')
    return '\n'.join(parts) + '\n'


D_INT = "<disks>\n<disk name='vda' snapshot='internal'/>\n<disk name='vdb' snapshot='internal'/>\n</disks>"
D_EXT = "<disks>\n<disk name='vda' snapshot='external' type='file'>\n<driver type='qcow2'/>\n<source file='/var/lib/snap/vda.s1'/>\n</disk>\n<disk name='vdb' snapshot='no'/>\n</disks>"
METADATA = "\n<metadata>\n<app1:foo xmlns:app1=\"http://app1.org/app1/\">fooish</app1:foo>\n</metadata>"

DOCS = [
    ('redefine-minimal', snap('s-min')),
    ('redefine-no-disks-aligned', snap('s-align', state='running')),
    ('redefine-description', snap('s-desc', '<description>My snapshot\nwith two lines</description>')),
    ('redefine-description-escaping', snap('s-esc', "<description>Tom's &quot;test&quot; &lt;snap&gt; &amp; more</description>")),
    ('redefine-state-running', snap('s-run', D_INT, state='running')),
    ('redefine-state-paused', snap('s-pause', D_INT, state='paused')),
    ('redefine-state-shutoff', snap('s-off', D_INT)),
    ('redefine-state-crashed', snap('s-crash', D_INT, state='crashed')),
    ('redefine-state-pmsuspended', snap('s-pm', D_INT, state='pmsuspended')),
    ('redefine-state-disk-snapshot', snap('s-ds', D_EXT, state='disk-snapshot')),
    ('redefine-state-blocked', snap('s-blocked', D_INT, state='blocked')),
    ('redefine-state-bogus', snap('s-bogus', D_INT, state='flying')),
    ('redefine-no-state', snap('s-nostate', D_INT, state=None)),
    ('redefine-no-creation-time', snap('s-notime', D_INT, time=None)),
    ('redefine-no-name', snap(None, D_INT)),
    ('redefine-no-domain', snap('s-nodom', D_INT, domain='')),
    ('redefine-uuid-mismatch', snap('s-uuid', D_INT, domain=dom().replace(UUID, '00000000-0000-4000-a000-0000000000ff'))),
    ('redefine-memory-no', snap('s-memno', "<memory snapshot='no'/>\n" + D_INT)),
    ('redefine-memory-internal', snap('s-memint', "<memory snapshot='internal'/>\n" + D_INT, state='running')),
    ('redefine-memory-external', snap('s-memext', "<memory snapshot='external' file='/var/lib/snap/mem.s1'/>\n" + D_EXT.replace("<disk name='vdb' snapshot='no'/>", "<disk name='vdb' snapshot='external' type='file'>\n<source file='/var/lib/snap/vdb.s1'/>\n</disk>"), state='running')),
    ('redefine-memory-external-no-file', snap('s-memextnf', "<memory snapshot='external'/>\n" + D_EXT, state='running')),
    ('redefine-disks-internal', snap('s-dint', D_INT)),
    ('redefine-disks-partial', snap('s-dpart', "<disks>\n<disk name='vda' snapshot='internal'/>\n</disks>")),
    ('redefine-disks-vdb-no', snap('s-dno', "<disks>\n<disk name='vda' snapshot='internal'/>\n<disk name='vdb' snapshot='no'/>\n</disks>")),
    ('redefine-disks-external', snap('s-dext', D_EXT, state='disk-snapshot')),
    ('redefine-disks-external-no-type', snap('s-dextnt', "<disks>\n<disk name='vda' snapshot='external'>\n<source file='/var/lib/snap/vda.s2'/>\n</disk>\n<disk name='vdb' snapshot='no'/>\n</disks>", state='disk-snapshot')),
    ('redefine-disks-external-driver', snap('s-dextdrv', "<disks>\n<disk name='vda' snapshot='external'>\n<driver type='qcow2'/>\n<source file='/var/lib/snap/vda.s3'/>\n</disk>\n<disk name='vdb' snapshot='external'>\n<driver type='qcow2'/>\n<source file='/var/lib/snap/vdb.s3'/>\n</disk>\n</disks>", state='disk-snapshot')),
    ('redefine-disks-external-block', snap('s-dextblk', "<disks>\n<disk name='vda' snapshot='external' type='block'>\n<source dev='/dev/vg/snap'/>\n</disk>\n<disk name='vdb' snapshot='no'/>\n</disks>", state='disk-snapshot')),
    ('redefine-disks-by-path', snap('s-dpath', "<disks>\n<disk name='/var/lib/snap/vda.qcow2' snapshot='internal'/>\n<disk name='vdb' snapshot='internal'/>\n</disks>")),
    ('redefine-disks-unknown', snap('s-dunk', "<disks>\n<disk name='vdz' snapshot='internal'/>\n</disks>")),
    ('redefine-disks-duplicate', snap('s-ddup', "<disks>\n<disk name='vda' snapshot='internal'/>\n<disk name='vda' snapshot='internal'/>\n</disks>")),
    ('redefine-disks-mixed', snap('s-dmix', "<disks>\n<disk name='vda' snapshot='internal'/>\n<disk name='vdb' snapshot='external'>\n<source file='/var/lib/snap/vdb.s4'/>\n</disk>\n</disks>")),
    ('redefine-disks-manual', snap('s-dman', "<disks>\n<disk name='vda' snapshot='manual'/>\n<disk name='vdb' snapshot='no'/>\n</disks>", state='disk-snapshot')),
    ('redefine-disks-bad-snapshot', snap('s-dbad', "<disks>\n<disk name='vda' snapshot='sometimes'/>\n</disks>")),
    ('redefine-disks-no-snapshot-attr', snap('s-dnoattr', "<disks>\n<disk name='vda'/>\n<disk name='vdb'/>\n</disks>")),
    ('redefine-disks-empty', snap('s-dempty', "<disks/>")),
    ('redefine-parent-missing', snap('s-parent', D_INT, before='<parent>\n<name>nosuch</name>\n</parent>')),
    ('redefine-own-parent', snap('s-self', D_INT, before='<parent>\n<name>s-self</name>\n</parent>')),
    ('redefine-metadata-in-domain', snap('s-meta', D_INT, domain=dom(tail=METADATA))),
    ('redefine-domain-title', snap('s-title', D_INT, domain=dom().replace("<memory unit='KiB'>", "<title>Snapshot domain</title>\n<memory unit='KiB'>"))),
    ('redefine-domain-more-disks', snap('s-more', None, domain=dom(devices="\n<disk type='file' device='disk'>\n<driver name='qemu' type='qcow2'/>\n<source file='/var/lib/snap/vdc.qcow2'/>\n<target dev='vdc' bus='virtio'/>\n</disk>"))),
    ('redefine-domain-cdrom', snap('s-cdrom', None, domain=dom(devices="\n<disk type='file' device='cdrom'>\n<target dev='hdc' bus='ide'/>\n<readonly/>\n<address type='drive' controller='0' bus='1' target='0' unit='0'/>\n</disk>\n<controller type='ide' index='0'/>"))),
    ('redefine-domain-disk-snapshot-no', snap('s-dsno', None, domain=dom().replace("<disk type='file' device='disk'>\n<driver name='qemu' type='raw'/>", "<disk type='file' device='disk' snapshot='no'>\n<driver name='qemu' type='raw'/>"))),
    ('redefine-domain-disk-snapshot-external', snap('s-dsext', None, state='disk-snapshot', domain=dom().replace("<disk type='file' device='disk'>\n<driver name='qemu' type='raw'/>", "<disk type='file' device='disk' snapshot='external'>\n<driver name='qemu' type='raw'/>"))),
    ('redefine-domain-shorthand', snap('s-short', D_INT, domain="<domain type='test'>\n<name>snapdom</name>\n<uuid>%s</uuid>\n<memory>524288</memory>\n<os>\n<type arch='x86_64'>hvm</type>\n</os>\n<devices>\n<disk type='file' device='disk'>\n<source file='/var/lib/snap/vda.qcow2'/>\n<target dev='vda'/>\n</disk>\n<disk type='file' device='disk'>\n<source file='/var/lib/snap/vdb.img'/>\n<target dev='vdb'/>\n</disk>\n</devices>\n</domain>" % UUID)),
    ('redefine-domain-bad', snap('s-dombad', D_INT, domain="<domain type='test'>\n<name>snapdom</name>\n<uuid>%s</uuid>\n</domain>" % UUID)),
    ('redefine-inactive-domain', snap('s-inact', D_INT, state='running', domain=dom() + "\n<inactiveDomain type='test'>\n<name>snapdom</name>\n<uuid>%s</uuid>\n<memory unit='KiB'>524288</memory>\n<os>\n<type arch='x86_64'>hvm</type>\n</os>\n</inactiveDomain>" % UUID)),
    ('redefine-cookie', snap('s-cookie', D_INT, state='running', domain=dom() + "\n<cookie>\n<cpu mode='custom' match='exact'>\n<model>qemu64</model>\n</cpu>\n</cookie>")),
    ('redefine-creation-time-zero', snap('s-t0', D_INT, time='0')),
    ('redefine-creation-time-bad', snap('s-tbad', D_INT, time='yesterday')),
    ('redefine-name-spaces', snap('snap with spaces', D_INT)),
    ('redefine-name-escaping', snap('s&amp;x &lt;y&gt;', D_INT)),
    ('redefine-active-element', snap('s-active', D_INT + "\n<active>1</active>")),
    ('redefine-unknown-element', snap('s-unknown', D_INT + "\n<virtextra value='1'/>")),
    ('redefine-state-running-memory-no', snap('s-runmemno', "<memory snapshot='no'/>\n" + D_INT, state='running')),
    ('redefine-disk-snapshot-with-internal', snap('s-dsint', D_INT, state='disk-snapshot')),
    ('redefine-element-order', "<domainsnapshot>\n<creationTime>1386166249</creationTime>\n%s\n<state>shutoff</state>\n<description>out of order</description>\n<name>s-order</name>\n%s\n</domainsnapshot>\n" % (dom(), D_INT)),
    ('redefine-whitespace-name', snap('  s-ws  ', D_INT)),
    ('redefine-description-empty', snap('s-descempty', '<description></description>\n' + D_INT)),
    ('redefine-vdb-external-domain-default', snap('s-vdbext', "<disks>\n<disk name='vda' snapshot='no'/>\n<disk name='vdb' snapshot='external'/>\n</disks>", state='disk-snapshot')),
    ('create-minimal', "<domainsnapshot>\n<name>c-min</name>\n</domainsnapshot>\n"),
    ('create-description', "<domainsnapshot>\n<name>c-desc</name>\n<description>Plain create</description>\n</domainsnapshot>\n"),
    ('create-disks-internal', "<domainsnapshot>\n<name>c-dint</name>\n" + D_INT + "\n</domainsnapshot>\n"),
    ('create-disks-partial', "<domainsnapshot>\n<name>c-dpart</name>\n<disks>\n<disk name='vdb' snapshot='no'/>\n</disks>\n</domainsnapshot>\n"),
    ('create-memory-no', "<domainsnapshot>\n<name>c-memno</name>\n<memory snapshot='no'/>\n</domainsnapshot>\n"),
    ('create-empty', "<domainsnapshot/>\n"),
    ('create-state-ignored', "<domainsnapshot>\n<name>c-state</name>\n<state>running</state>\n</domainsnapshot>\n"),
    ('create-unknown-disk', "<domainsnapshot>\n<name>c-dunk</name>\n<disks>\n<disk name='vdq' snapshot='internal'/>\n</disks>\n</domainsnapshot>\n"),
    ('create-external-disk', "<domainsnapshot>\n<name>c-dext</name>\n<disks>\n<disk name='vda' snapshot='external'>\n<source file='/var/lib/snap/vda.c1'/>\n</disk>\n<disk name='vdb' snapshot='no'/>\n</disks>\n</domainsnapshot>\n"),
    ('create-name-slash', "<domainsnapshot>\n<name>c/slash</name>\n</domainsnapshot>\n"),
    ('create-not-xml', "domainsnapshot\n"),
    ('create-wrong-root', "<snapshot>\n<name>c-root</name>\n</snapshot>\n"),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'domain.xml'), 'w') as f:
        f.write(DOMAIN)
    for i, (name, text) in enumerate(DOCS, 1):
        with open(os.path.join(OUT, '%02d-%s.xml' % (i, name)), 'w') as f:
            f.write(text)
    print('%d snapshot documents in %s' % (len(DOCS), os.path.normpath(OUT)))


main()
