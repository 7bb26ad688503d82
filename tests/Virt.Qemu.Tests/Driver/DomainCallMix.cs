namespace Virt.Qemu.Tests.Driver;

/// <summary>Random calls on one domain (state, suspend, resume, XML, info, id) as a caller would make them, counting
/// how each ended: done, refused the way libvirt documents (not running, busy), or failed in any other way.</summary>
internal sealed class DomainCallMix
{
    private readonly List<string> _failures = [];

    public int Done { get; private set; }

    public int Refused { get; private set; }

    /// <summary>Every call that ended in a way libvirt does not document for it.</summary>
    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Makes <paramref name="calls"/> random calls on <paramref name="domain"/>.</summary>
    public void Run(IVirtDomain domain, int calls, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < calls; i++)
        {
            int op = random.Next(7);
            try
            {
                switch (op)
                {
                    case 0:
                        _ = domain.GetState();
                        break;
                    case 1:
                        domain.Suspend();
                        break;
                    case 2:
                        domain.Resume();
                        break;
                    case 3:
                        _ = Conf.DomainDefinition.Parse(domain.GetXmlDescription());
                        break;
                    case 4:
                        _ = domain.GetInfo();
                        break;
                    case 5:
                        _ = domain.Id;
                        break;
                    default:
                        _ = domain.MonitorCommand("""{"execute":"query-status"}""");
                        break;
                }

                Done++;
            }
            catch (VirtException e) when (e.Code is VirtErrorCode.OperationTimeout && e.Message.Contains("is busy", StringComparison.Ordinal))
            {
                Refused++;
            }
            catch (Exception e)
            {
                _failures.Add($"call {op}: {e.GetType().Name}: {e.Message}");
            }
        }
    }
}
