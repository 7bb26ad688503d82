namespace Virt.Snapshot.Tests;

/// <summary>Mutated documents never make the parser throw anything but <see cref="VirtException"/>, and whatever
/// parses formats and parses back to the same XML.</summary>
public class SnapshotXmlFuzzTests
{
    private const string Seed = """
        <domainsnapshot>
          <name>s2</name>
          <description>d &lt;x&gt;</description>
          <state>running</state>
          <parent>
            <name>s1</name>
          </parent>
          <creationTime>1795386545</creationTime>
          <memory snapshot='external' file='/m'/>
          <disks>
            <disk name='vda' snapshot='external' type='block'>
              <driver type='qcow2'/>
              <source dev='/dev/x'/>
            </disk>
            <disk name='vdb' snapshot='no'/>
          </disks>
          <domain type='test'>
            <name>test</name>
            <devices>
            </devices>
          </domain>
          <inactiveDomain type='test'>
            <name>test</name>
          </inactiveDomain>
          <cookie>
            <cpu mode='custom'/>
          </cookie>
        </domainsnapshot>
        """;

    [Test]
    public void TenThousandMutationsFailOnlyWithVirtExceptionsAndRoundTripWhenTheyParse()
    {
        var random = new Random(20261122);
        const string Alphabet = "<>/='\"&;!?[]- \n\tabcdefxyz0123456789\u00e9\u0000";
        int parsed = 0;
        for (int i = 0; i < 10_000; i++)
        {
            var text = new System.Text.StringBuilder(Seed);
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits; e++)
            {
                if (text.Length == 0)
                {
                    break;
                }

                int at = random.Next(text.Length);
                switch (random.Next(4))
                {
                    case 0: text.Remove(at, Math.Min(random.Next(1, 20), text.Length - at)); break;
                    case 1: text.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                    case 2: text[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                    default: text.Length = at; break;
                }
            }

            var flags = random.Next(2) == 0 ? SnapshotParseFlags.Redefine : SnapshotParseFlags.None;
            SnapshotDefinition def;
            try
            {
                def = SnapshotDefinition.Parse(text.ToString(), flags, DateTimeOffset.FromUnixTimeSeconds(1));
            }
            catch (VirtException)
            {
                continue;
            }

            parsed++;
            string xml = def.ToXml();
            Assert.That(SnapshotDefinition.Parse(xml, flags, DateTimeOffset.FromUnixTimeSeconds(1)).ToXml(), Is.EqualTo(xml), text.ToString());
        }

        Assert.That(parsed, Is.GreaterThan(100), "some mutations still parse, so the round trip was exercised");
    }
}
