#!/usr/bin/env python3
"""Writes the device corpus (tests/Virt.Core.Tests/Conf/DeviceCorpus/NAME.xml): one domain per entry of the
tables in docs_*.py, each a small guest around one device class or element family of libvirt's
formatdomain documentation. The expected outputs are then captured with
  CORPUS=DeviceCorpus scripts/capture-virsh-domxml.sh
Usage: scripts/device-corpus/make.py"""
import os, sys
sys.path.insert(0, os.path.dirname(__file__))
import docs_devices, docs_domain

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'tests', 'Virt.Core.Tests', 'Conf', 'DeviceCorpus')

BASE = """<domain type='kvm'>
  <name>{name}</name>
  <uuid>{uuid}</uuid>
  <memory unit='KiB'>524288</memory>
  <currentMemory unit='KiB'>524288</currentMemory>
  <vcpu placement='static'>{vcpus}</vcpu>
{top}  <os{os_attr}>
{os}  </os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
{devices}  </devices>
{tail}</domain>
"""

DEFAULT_OS = "    <type arch='x86_64' machine='pc'>hvm</type>\n"


def indent(text, spaces):
    lines = [l for l in text.strip('\n').split('\n')] if text.strip() else []
    pad = ' ' * spaces
    common = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    return ''.join(pad + l[common:] + '\n' for l in lines)


def completed(devices):
    """What libvirt's test driver would add, given in the document so that the corpus compares the formatter alone
    (as the Corpus folder does): host interface names testnetN, the virtio-serial controller of virtio consoles and
    channels, the video adapter a graphics device brings."""
    out, n = [], 0
    lines = devices.split('\n')
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        if line.lstrip().startswith('<interface'):
            block = []
            j = i + 1
            while j < len(lines) and not lines[j].lstrip().startswith('</interface>'):
                block.append(lines[j]); j += 1
            if not any('<target' in b for b in block):
                at = next((k + 1 for k, b in enumerate(block) if '<source' in b and '/>' in b), None)
                at = at if at is not None else next((k + 1 for k, b in enumerate(block) if '<mac' in b), 0)
                block.insert(at, "<target dev='testnet%d'/>" % n)
            n += 1
            out.extend(block)
            i = j
            continue
        i += 1
    text = '\n'.join(out)
    virtio_serial = "type='virtio'" in text and ('<channel' in text or '<console' in text) or "<channel type='unix'>" in text \
        or "<channel type='pty'>" in text or "<channel type='spicevmc'>" in text or "<channel type='qemu-vdagent'>" in text \
        or "<channel type='tcp'>" in text
    if virtio_serial and "type='virtio-serial'" not in text:
        text += "\n<controller type='virtio-serial' index='0'/>"
    if '<graphics' in text and '<video' not in text and "type='dbus'" not in text:
        text += "\n<video>\n<model type='cirrus'/>\n</video>"
    return text


def main():
    os.makedirs(OUT, exist_ok=True)
    n = 0
    seen = set()
    for table in (docs_devices.DOCS, docs_domain.DOCS):
        for entry in table:
            name = entry['name']
            assert name not in seen, name
            seen.add(name)
            n += 1
            uuid = '00000000-0000-4000-9000-%012x' % n
            text = BASE.format(
                name=name, uuid=uuid, vcpus=entry.get('vcpus', 2),
                top='' if entry.get('tail') else indent(entry.get('top', ''), 2),
                tail=indent(entry.get('top', ''), 2) if entry.get('tail') else '',
                os_attr=" firmware='%s'" % entry['os_attr'] if 'os_attr' in entry else '',
                os=indent(entry['os'], 4) if 'os' in entry else DEFAULT_OS,
                devices=indent(completed(entry.get('devices', '')), 4))
            with open(os.path.join(OUT, '%03d-%s.xml' % (n, name)), 'w') as f:
                f.write(text)
    print('%d documents in %s' % (n, os.path.normpath(OUT)))


main()
