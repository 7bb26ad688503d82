"""Domain-level elements, one family per document: memory and tuning, NUMA, CPU models and features, hypervisor
features, OS boot and firmware, clock, lifecycle, security labels and the rest of formatdomain's top level."""


def T(name, top='', **kw):
    return dict(name=name, top=top, **kw)


def hv(body):
    return "<features>\n<acpi/>\n<hyperv%s\n</features>" % body


DOCS = [
    # ---- memory, memtune, memoryBacking, blkiotune ---------------------------------------------------------
    T('memtune-kib', "<memtune>\n<hard_limit unit='KiB'>1048576</hard_limit>\n<soft_limit unit='KiB'>524288</soft_limit>\n<swap_hard_limit unit='KiB'>2097152</swap_hard_limit>\n<min_guarantee unit='KiB'>65536</min_guarantee>\n</memtune>"),
    T('memtune-units', "<memtune>\n<hard_limit unit='G'>1</hard_limit>\n<soft_limit unit='M'>128</soft_limit>\n<swap_hard_limit unit='GB'>2</swap_hard_limit>\n</memtune>"),
    T('memtune-no-unit', "<memtune>\n<hard_limit>1048576</hard_limit>\n</memtune>"),
    T('memtune-bytes', "<memtune>\n<soft_limit unit='bytes'>1048576000</soft_limit>\n</memtune>"),
    T('memory-backing-hugepages', "<memoryBacking>\n<hugepages/>\n</memoryBacking>"),
    T('memory-backing-hugepages-pages', "<memoryBacking>\n<hugepages>\n<page size='2048' unit='KiB'/>\n</hugepages>\n<nosharepages/>\n<locked/>\n</memoryBacking>", vcpus=2, ),
    T('memory-backing-source-access', "<memoryBacking>\n<source type='file'/>\n<access mode='shared'/>\n<allocation mode='immediate' threads='8'/>\n<discard/>\n</memoryBacking>"),
    T('blkiotune', "<blkiotune>\n<weight>800</weight>\n<device>\n<path>/dev/sda</path>\n<weight>1000</weight>\n<read_bytes_sec>10000</read_bytes_sec>\n</device>\n</blkiotune>"),
    T('max-memory-slots', "<maxMemory slots='16' unit='KiB'>4194304</maxMemory>\n<cpu>\n<numa>\n<cell id='0' cpus='0-1' memory='524288' unit='KiB'/>\n</numa>\n</cpu>"),
    T('current-memory-larger', "", vcpus=1),
    # ---- vcpus, iothreads, cputune -------------------------------------------------------------------------
    T('vcpu-cpuset', "", vcpus="2", ),
    T('vcpus-hotplug', "<vcpus>\n<vcpu id='0' enabled='yes' hotpluggable='no' order='1'/>\n<vcpu id='1' enabled='no' hotpluggable='yes'/>\n</vcpus>"),
    T('iothreads-ids', "<iothreads>2</iothreads>\n<iothreadids>\n<iothread id='2'/>\n<iothread id='4'/>\n</iothreadids>"),
    T('cputune-shares-period', "<cputune>\n<shares>2048</shares>\n<period>1000000</period>\n<quota>-1</quota>\n<emulator_period>1000000</emulator_period>\n<emulator_quota>-1</emulator_quota>\n</cputune>"),
    T('cputune-pins', "<cputune>\n<vcpupin vcpu='0' cpuset='1-4,^2'/>\n<vcpupin vcpu='1' cpuset='0,1'/>\n<emulatorpin cpuset='1-3'/>\n</cputune>"),
    T('cputune-iothreadpin', "<iothreads>2</iothreads>\n<cputune>\n<iothreadpin iothread='1' cpuset='2'/>\n<iothreadpin iothread='2' cpuset='3'/>\n</cputune>"),
    T('cputune-vcpusched-range', "<cputune>\n<vcpusched vcpus='0-1' scheduler='fifo' priority='1'/>\n</cputune>"),
    T('cputune-vcpusched-unsorted', "<cputune>\n<vcpusched vcpus='1' scheduler='batch'/>\n<vcpusched vcpus='0' scheduler='idle'/>\n</cputune>", vcpus=4),
    T('cputune-iothreadsched', "<iothreads>4</iothreads>\n<cputune>\n<iothreadsched iothreads='1-2' scheduler='batch'/>\n</cputune>"),
    T('cputune-cachetune', "<cputune>\n<cachetune vcpus='0-1'>\n<cache id='0' level='3' type='both' size='3' unit='MiB'/>\n</cachetune>\n</cputune>"),
    # ---- numatune ------------------------------------------------------------------------------------------
    T('numatune-strict', "<numatune>\n<memory mode='strict' nodeset='0-1'/>\n</numatune>"),
    T('numatune-nodeset-exclusion', "<numatune>\n<memory mode='strict' nodeset='0-5,^4'/>\n</numatune>"),
    T('numatune-nodeset-unsorted', "<numatune>\n<memory mode='preferred' nodeset='3,1,2'/>\n</numatune>"),
    T('numatune-auto', "<numatune>\n<memory mode='interleave' placement='auto'/>\n</numatune>"),
    T('numatune-memnode', "<cpu>\n<numa>\n<cell id='0' cpus='0' memory='262144' unit='KiB'/>\n<cell id='1' cpus='1' memory='262144' unit='KiB'/>\n</numa>\n</cpu>\n<numatune>\n<memory mode='strict' nodeset='0-1'/>\n<memnode cellid='0' mode='strict' nodeset='0'/>\n<memnode cellid='1' mode='preferred' nodeset='1'/>\n</numatune>"),
    # ---- cpu -----------------------------------------------------------------------------------------------
    T('cpu-host-model-with-model', "<cpu mode='host-model'>\n<model fallback='allow'>Haswell</model>\n</cpu>"),
    T('cpu-host-model-plain', "<cpu mode='host-model'/>"),
    T('cpu-host-model-check', "<cpu mode='host-model' check='partial'/>"),
    T('cpu-host-passthrough-migratable', "<cpu mode='host-passthrough' check='none' migratable='on'/>"),
    T('cpu-host-passthrough-cache', "<cpu mode='host-passthrough'>\n<cache mode='passthrough'/>\n<feature policy='disable' name='lahf_lm'/>\n</cpu>"),
    T('cpu-maximum', "<cpu mode='maximum' migratable='off'/>"),
    T('cpu-custom-vendor', "<cpu mode='custom' match='exact' check='full'>\n<model fallback='forbid'>Skylake-Client</model>\n<vendor>Intel</vendor>\n<feature policy='require' name='vmx'/>\n<feature policy='disable' name='hle'/>\n<feature policy='force' name='pcid'/>\n</cpu>"),
    T('cpu-custom-no-mode', "<cpu match='exact'>\n<model>qemu64</model>\n</cpu>"),
    T('cpu-topology-only', "<cpu>\n<topology sockets='1' cores='2' threads='1'/>\n</cpu>"),
    T('cpu-topology-dies', "<cpu>\n<topology sockets='1' dies='2' cores='1' threads='1'/>\n</cpu>"),
    T('cpu-numa-no-ids', "<cpu>\n<numa>\n<cell cpus='0' memory='262144'/>\n<cell cpus='1' memory='262144'/>\n</numa>\n</cpu>"),
    T('cpu-numa-units', "<cpu>\n<numa>\n<cell id='0' cpus='0' memory='256' unit='MiB'/>\n<cell id='1' cpus='1' memory='256' unit='MiB' memAccess='shared'/>\n</numa>\n</cpu>"),
    T('cpu-numa-distances', "<cpu>\n<numa>\n<cell id='0' cpus='0' memory='262144' unit='KiB'>\n<distances>\n<sibling id='0' value='10'/>\n<sibling id='1' value='21'/>\n</distances>\n</cell>\n<cell id='1' cpus='1' memory='262144' unit='KiB'>\n<distances>\n<sibling id='0' value='21'/>\n<sibling id='1' value='10'/>\n</distances>\n</cell>\n</numa>\n</cpu>"),
    T('cpu-feature-no-policy', "<cpu mode='custom' match='exact'>\n<model>Westmere</model>\n<feature name='ssse3'/>\n</cpu>"),
    # ---- features ------------------------------------------------------------------------------------------
    T('features-hyperv-no-mode', hv(">\n<relaxed state='on'/>\n<vapic state='on'/>\n<spinlocks state='on' retries='4096'/>\n</hyperv>")),
    T('features-hyperv-custom-full', hv(" mode='custom'>\n<relaxed state='on'/>\n<vapic state='on'/>\n<spinlocks state='on' retries='4095'/>\n<vpindex state='on'/>\n<runtime state='on'/>\n<synic state='on'/>\n<stimer state='on'>\n<direct state='on'/>\n</stimer>\n<reset state='on'/>\n<vendor_id state='on' value='KVM Hv'/>\n<frequencies state='on'/>\n<reenlightenment state='on'/>\n<tlbflush state='on'/>\n<ipi state='on'/>\n<evmcs state='on'/>\n</hyperv>")),
    T('features-hyperv-passthrough', hv(" mode='passthrough'/>")),
    T('features-kvm', "<features>\n<acpi/>\n<kvm>\n<hidden state='on'/>\n<hint-dedicated state='on'/>\n<poll-control state='on'/>\n</kvm>\n</features>"),
    T('features-pmu-empty', "<features>\n<acpi/>\n<pmu/>\n</features>"),
    T('features-pmu-off', "<features>\n<acpi/>\n<pmu state='off'/>\n</features>"),
    T('features-vmport-smm', "<features>\n<acpi/>\n<vmport state='off'/>\n<smm state='on'>\n<tseg unit='MiB'>48</tseg>\n</smm>\n</features>", os="<type arch='x86_64' machine='q35'>hvm</type>"),
    T('features-apic-eoi', "<features>\n<acpi/>\n<apic eoi='on'/>\n<pae/>\n</features>"),
    T('features-ioapic', "<features>\n<acpi/>\n<ioapic driver='qemu'/>\n</features>"),
    T('features-gic', "<features>\n<gic version='3'/>\n</features>"),
    T('features-pvspinlock', "<features>\n<pvspinlock state='on'/>\n</features>"),
    T('features-vmcoreinfo-htm', "<features>\n<vmcoreinfo state='on'/>\n</features>"),
    T('features-msrs', "<features>\n<msrs unknown='ignore'/>\n</features>"),
    T('features-async-teardown', "<features>\n<async-teardown enabled='yes'/>\n</features>"),
    T('features-tcg', "<features>\n<tcg>\n<tb-cache unit='MiB'>128</tb-cache>\n</tcg>\n</features>"),
    T('features-hap-privnet', "<features>\n<hap state='on'/>\n<privnet/>\n</features>"),
    T('features-capabilities', "<features>\n<capabilities policy='default'>\n<mknod state='on'/>\n</capabilities>\n</features>"),
    T('features-smm-plain', "<features>\n<smm/>\n</features>"),
    # ---- os -------------------------------------------------------------------------------------------------
    T('os-loader-ovmf', os="<type arch='x86_64' machine='q35'>hvm</type>\n<loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>\n<nvram>/var/lib/libvirt/qemu/nvram/guest_VARS.fd</nvram>"),
    T('os-loader-secure', "<features>\n<smm state='on'/>\n</features>", os="<type arch='x86_64' machine='q35'>hvm</type>\n<loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE.secboot.fd</loader>\n<nvram template='/usr/share/OVMF/OVMF_VARS.fd'>/var/lib/nvram/g.fd</nvram>"),
    T('os-firmware-efi', os="<type arch='x86_64' machine='q35'>hvm</type>", top_os_attr="efi"),
    T('os-firmware-efi-loader-secure', os="<type arch='x86_64' machine='q35'>hvm</type>\n<loader secure='yes'/>", top_os_attr="efi"),
    T('os-firmware-efi-features', os="<type arch='x86_64' machine='q35'>hvm</type>\n<firmware>\n<feature enabled='yes' name='enrolled-keys'/>\n<feature enabled='yes' name='secure-boot'/>\n</firmware>", top_os_attr="efi"),
    T('os-firmware-bios', os="<type arch='x86_64' machine='pc'>hvm</type>", top_os_attr="bios"),
    T('os-loader-rom', os="<type arch='x86_64' machine='pc'>hvm</type>\n<loader type='rom'>/usr/share/seabios/bios.bin</loader>"),
    T('os-direct-kernel-dtb', os="<type arch='x86_64' machine='pc'>hvm</type>\n<kernel>/boot/vmlinuz</kernel>\n<initrd>/boot/initrd.img</initrd>\n<cmdline>console=ttyS0 root=/dev/vda1</cmdline>\n<dtb>/boot/board.dtb</dtb>"),
    T('os-bootmenu', os="<type arch='x86_64' machine='pc'>hvm</type>\n<boot dev='cdrom'/>\n<boot dev='hd'/>\n<bootmenu enable='yes' timeout='3000'/>"),
    T('os-bios-useserial', os="<type arch='x86_64' machine='pc'>hvm</type>\n<bios useserial='yes' rebootTimeout='0'/>"),
    T('os-smbios-sysinfo', "<sysinfo type='smbios'>\n<bios>\n<entry name='vendor'>LENOVO</entry>\n</bios>\n<system>\n<entry name='manufacturer'>Fedora</entry>\n<entry name='vendor'>Virt-Manager</entry>\n</system>\n</sysinfo>", os="<type arch='x86_64' machine='pc'>hvm</type>\n<smbios mode='sysinfo'/>"),
    T('os-acpi-table', os="<type arch='x86_64' machine='pc'>hvm</type>\n<acpi>\n<table type='slic'>/path/to/slic.dat</table>\n</acpi>"),
    T('os-boot-network-fd', os="<type arch='x86_64' machine='pc'>hvm</type>\n<boot dev='network'/>\n<boot dev='fd'/>"),
    T('os-type-no-machine', os="<type arch='x86_64'>hvm</type>"),
    T('os-type-no-arch', os="<type>hvm</type>"),
    # ---- clock, lifecycle, pm, perf ------------------------------------------------------------------------
    T('clock-localtime', "<clock offset='localtime'/>"),
    T('clock-timezone', "<clock offset='timezone' timezone='Europe/Paris'/>"),
    T('clock-variable', "<clock offset='variable' adjustment='123456' basis='utc'/>"),
    T('clock-variable-no-basis', "<clock offset='variable' adjustment='-3600'/>"),
    T('clock-timers-all', "<clock offset='utc'>\n<timer name='rtc' tickpolicy='catchup' track='guest'/>\n<timer name='pit' tickpolicy='delay'/>\n<timer name='hpet' present='no'/>\n<timer name='kvmclock' present='yes'/>\n<timer name='hypervclock' present='yes'/>\n<timer name='tsc' frequency='3504000000' mode='native'/>\n</clock>"),
    T('clock-timer-catchup', "<clock offset='utc'>\n<timer name='rtc' tickpolicy='catchup'>\n<catchup threshold='123' slew='120' limit='10000'/>\n</timer>\n</clock>"),
    T('lifecycle-all', "<on_poweroff>preserve</on_poweroff>\n<on_reboot>destroy</on_reboot>\n<on_crash>coredump-restart</on_crash>\n<on_lockfailure>poweroff</on_lockfailure>"),
    T('pm-suspend', "<pm>\n<suspend-to-mem enabled='no'/>\n<suspend-to-disk enabled='yes'/>\n</pm>"),
    T('perf-events', "<perf>\n<event name='cmt' enabled='yes'/>\n<event name='mbmt' enabled='no'/>\n</perf>"),
    # ---- security, metadata, misc --------------------------------------------------------------------------
    T('seclabel-dynamic', "<seclabel type='dynamic' model='selinux' relabel='yes'/>", tail=True),
    T('seclabel-model-first', "<seclabel model='selinux' type='static' relabel='no'>\n<label>system_u:system_r:svirt_t:s0:c392,c662</label>\n</seclabel>", tail=True),
    T('seclabel-none', "<seclabel type='none'/>", tail=True),
    T('seclabel-dac', "<seclabel type='static' model='dac' relabel='yes'>\n<label>+107:+107</label>\n</seclabel>", tail=True),
    T('keywrap', "<keywrap>\n<cipher name='aes' state='on'/>\n<cipher name='dea' state='off'/>\n</keywrap>", tail=True),
    T('launch-security-sev', "<launchSecurity type='sev' kernelHashes='yes'>\n<cbitpos>47</cbitpos>\n<reducedPhysBits>1</reducedPhysBits>\n<policy>0x0033</policy>\n</launchSecurity>", tail=True),
    T('metadata-namespaces', "<metadata>\n<app1:foo xmlns:app1=\"http://app1.org/app1/\">fooish</app1:foo>\n<app2:bar xmlns:app2=\"http://app2.org/app2/\" maman='baz'>barish</app2:bar>\n</metadata>"),
    T('genid-auto', "<genid/>"),
    T('genid-fixed', "<genid>43dc0cf8-809b-4adb-9bea-a9abb5f3d90d</genid>"),
    T('title-description', "<title>A short title</title>\n<description>Some human readable description\nover two lines</description>"),
    T('resource-partition', "<resource>\n<partition>/virtualmachines/production</partition>\n</resource>"),
    T('resource-fibrechannel', "<resource>\n<fibrechannel appid='userAppId-123'/>\n</resource>"),
    T('qemu-commandline', "<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n<qemu:arg value='-newarg'/>\n<qemu:env name='QEMU_ENV' value='VAL'/>\n</qemu:commandline>", tail=True),
    T('bootloader-xen', "<bootloader>/usr/bin/pygrub</bootloader>\n<bootloader_args>--append single</bootloader_args>"),
    T('idmap', "<idmap>\n<uid start='0' target='1000' count='10'/>\n<gid start='0' target='1000' count='10'/>\n</idmap>"),
    T('sysinfo-fwcfg', "<sysinfo type='fwcfg'>\n<entry name='opt/com.example/name'>example value</entry>\n</sysinfo>"),
    T('throttlegroups', "<throttlegroups>\n<throttlegroup>\n<total_bytes_sec>1000</total_bytes_sec>\n<group_name>limit0</group_name>\n</throttlegroup>\n</throttlegroups>"),
]

# Attributes on <os> and a few placements the simple template cannot express.
for d in DOCS:
    if 'top_os_attr' in d:
        d['os_attr'] = d.pop('top_os_attr')

# VNC on a socket: socket= and the first <listen> (added after the numbered documents above, to keep their numbers).
DOCS += [
    T('gfx-vnc-socket-over-listens', devices="<graphics type='vnc' socket='/tmp/vnc.sock'>\n<listen type='address' address='127.0.0.1'/>\n<listen type='network' network='default'/>\n</graphics>"),
    T('gfx-vnc-listen-socket-listen-attr', devices="<graphics type='vnc' listen='127.0.0.1'>\n<listen type='socket' socket='/tmp/vnc.sock'/>\n</graphics>"),
    T('gfx-vnc-socket-mismatch', devices="<graphics type='vnc' socket='/tmp/a.sock'>\n<listen type='socket' socket='/tmp/b.sock'/>\n</graphics>"),
    T('gfx-vnc-listen-socket-no-path', devices="<graphics type='vnc'>\n<listen type='socket'/>\n</graphics>"),
    T('gfx-vnc-socket-port', devices="<graphics type='vnc' socket='/tmp/vnc.sock' port='5901' autoport='no'/>"),
    T('cputune-cachetune-memorytune-ids', "<cputune>\n<cachetune vcpus='0,1' id='mine'>\n<cache id='0' level='3' type='both' size='3' unit='MiB'/>\n</cachetune>\n<memorytune vcpus='2-3'>\n<node id='0' bandwidth='60'/>\n</memorytune>\n</cputune>", vcpus=4),
]
