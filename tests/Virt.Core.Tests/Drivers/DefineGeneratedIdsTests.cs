using System.Text.RegularExpressions;
using Virt.Conf;
using Virt.Drivers.Rules;

namespace Virt.Core.Tests.Drivers;

/// <summary>The identifiers libvirt generates at define (virsh 9.0 on test:///default prints them for device corpus
/// documents 072 and 348), and the ones the user gave, which stay.</summary>
public sealed class DefineGeneratedIdsTests
{
    private static DomainDefinition Domain(string genid, string virtualport) => DomainDefinition.Parse(
        $"<domain type='test'><name>d</name>{genid}<memory>1024</memory><os><type>hvm</type></os><devices>"
        + $"<interface type='bridge'><source bridge='br0'/>{virtualport}</interface></devices></domain>");

    [Test]
    public void AnEmptyGenidAndAnOpenvswitchPortWithoutInterfaceIdGetUuids()
    {
        var def = Domain("<genid/>", "<virtualport type='openvswitch'/>");

        DefineGeneratedIds.Fill(def);

        string xml = def.ToXml();
        Assert.Multiple(() =>
        {
            Assert.That(xml, Does.Match("<genid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}</genid>"));
            Assert.That(xml, Does.Match("<virtualport type='openvswitch'>\\s*<parameters interfaceid='[0-9a-f-]{36}'/>\\s*</virtualport>"));
        });
    }

    [Test]
    public void WhatTheUserGaveStays()
    {
        const string Genid = "<genid>43dc0cf8-809b-4adb-9bea-a9abb5f3d90d</genid>";
        const string Port = "<virtualport type='openvswitch'><parameters interfaceid='09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f' profileid='p'/></virtualport>";
        var def = Domain(Genid, Port);
        string before = def.ToXml();

        DefineGeneratedIds.Fill(def);

        Assert.That(def.ToXml(), Is.EqualTo(before));
    }

    [Test]
    public void OtherVirtualPortsGetNothing()
    {
        var def = Domain("", "<virtualport type='802.1Qbg'><parameters managerid='11'/></virtualport>");
        string before = def.ToXml();

        DefineGeneratedIds.Fill(def);

        Assert.That(Regex.IsMatch(def.ToXml(), "interfaceid|genid"), Is.False);
        Assert.That(def.ToXml(), Is.EqualTo(before));
    }
}
