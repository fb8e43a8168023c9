using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Aem.Tests;

/// <summary>Process-wide settings applied once, before any test runs.</summary>
internal static class TestSetup
{
    // CA2255 warns that module initialisers in libraries run at surprising times; a test assembly is
    // only loaded by the test host, and this must run before any test class touches libtorch.
#pragma warning disable CA2255
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Initialize()
    {
        // xunit runs test classes in parallel on our 2 cores; libtorch's default of one thread per
        // core in every class oversubscribes them and is several times slower.
        torch.set_num_threads(1);
        // The image tasks decode pictures through the registered decoder, as the tool registers it.
        Aem.Images.AemImages.Register();
        try
        {
            torch.set_num_interop_threads(1);
        }
        catch (ExternalException)
        {
            // libtorch allows this only before its inter-op pool has started; keep the default then.
        }
    }
}
