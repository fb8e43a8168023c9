using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Aem.Evaluation;
using Aem.Model;
using Aem.Runs;
using Aem.Sampling;
using Aem.Tests.Checkpoints;
using static TorchSharp.torch;

namespace Aem.Tests.Model;

/// <summary>
/// Pins a model without a context to the code before conditional densities were added (issue 16): its
/// parameters (names, shapes and the values a seed draws), its seeded outputs, and a checkpoint that code
/// wrote (<c>Fixtures/context-free-checkpoint</c>) must all be as they were. The expected values were
/// computed by these same methods on that code; a change to any of them is a change to every saved run.
/// </summary>
[Collection(nameof(GlobalRandomState))]
public class ContextFreePinTests
{
    private const string StructureSha256 = "A904873E6DC5B0D6BA5A9E2CC7F3DAA9C02F08A9761FC7FF6F4878B3B191584B";
    private const string SeededParametersSha256 = "57C5C9AC62AAB00CBAEDE75226EB91EC7C3EB2536003CAFA54EAA0B887161C0B";
    private const string FixtureParametersSha256 = "259CBD088ABE02863B08AFAD56E3140346C603A98BE10A9FC9A2FB48E5AA78A6";

    private static readonly double[] ForwardLogDensity = [-3.0536849939315074, -4.818046345119876, -4.484379886844074, -4.1879364686809994, -4.485143535557267];
    private static readonly double[] ForwardLogProposal = [-2.568359968065779, -9.266600386707736, -5.275465682485277, -3.805401307321071, -4.406507946793069];
    private static readonly double[] EstimatedLogDensity = [-3.518913940062056, -5.177311131306009, -4.83252859486176, -3.989374295681309, -5.020755786406323];
    private static readonly double[] ResampledValues = [-2.0597551713043667, 0.41126138537534584, -0.46955520532300526, 1.2134268145385216, -2.6321538737558807, 0.6630676566509791, 0.4477005322194816, -0.28543578410739945, 1.8591419947947299, 0.46684014002606555, 1.2988515409672172, -4.360307117262784];
    private static readonly double[] FixtureLogDensity = [-3.533540725708008, -3.949131965637207, -4.79622745513916, -4.226594924926758, -3.5132029056549072];

    internal static string FixturePath => Path.Combine(AppContext.BaseDirectory, "Fixtures", "context-free-checkpoint");

    internal static AemOptions PinnedOptions(ProposalKind proposal = ProposalKind.MixtureOfGaussians) => TestModels.Small(3, proposal);

    /// <summary>Every parameter and buffer, in order, with its shape, for both proposal kinds.</summary>
    internal static string Structure()
    {
        var text = new StringBuilder();
        foreach (var kind in new[] { ProposalKind.MixtureOfGaussians, ProposalKind.Uniform })
        {
            using var model = new AutoregressiveEnergyMachine(PinnedOptions(kind));
            foreach (var (name, tensor) in model.state_dict())
            {
                text.Append(CultureInfo.InvariantCulture, $"{kind}:{name}:[{string.Join(",", tensor.shape)}];");
            }
        }
        return Sha256(text.ToString());
    }

    /// <summary>The float32 parameters a model draws from libtorch's global generator after seeding it with 7.</summary>
    internal static string SeededParameters()
    {
        manual_seed(7);
        using var model = new AutoregressiveEnergyMachine(PinnedOptions());
        return ParameterHash(model);
    }

    internal static string ParameterHash(nn.Module module)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in module.state_dict())
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            using var cpu = tensor.detach().to(float32, CPU).contiguous();
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    internal static Tensor Points(ScalarType dtype)
    {
        using var generator = new Generator(21, CPU);
        return randn([5, 3], dtype: dtype, generator: generator);
    }

    internal static (double[] LogDensity, double[] LogProposal) Forward(AutoregressiveEnergyMachine model, ScalarType dtype)
    {
        using var x = Points(dtype);
        using var generator = new Generator(5, CPU);
        using var noGrad = no_grad();
        model.eval();
        using var output = model.Forward(x, samples: 8, generator);
        return (Values(output.LogDensity), Values(output.LogProposal));
    }

    internal static double[] Estimated(AutoregressiveEnergyMachine model)
    {
        using var x = Points(ScalarType.Float64);
        using var generator = new Generator(6, CPU);
        using var output = LogLikelihoodEstimator.Estimate(model, x, 50, generator, workers: 1);
        return Values(output.LogDensity);
    }

    internal static double[] Resampled(AutoregressiveEnergyMachine model)
    {
        using var generator = new Generator(8, CPU);
        using var samples = ImportanceResampler.Sample(model, 4, 10, generator);
        return Values(samples);
    }

    internal static AutoregressiveEnergyMachine RandomModel() => TestModels.Aem(PinnedOptions(), seed: 31, scale: 2.0);

    private static double[] Values(Tensor t)
    {
        using var cpu = t.detach().to(float64, CPU).contiguous().reshape(-1);
        return cpu.data<double>().ToArray();
    }

    private static string Sha256(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void ParameterNamesAndShapes_AreUnchanged() => Assert.Equal(StructureSha256, Structure());

    [Fact]
    public void ParametersDrawnFromASeed_AreUnchanged() => Assert.Equal(SeededParametersSha256, SeededParameters());

    [Fact]
    public void SeededOutputs_AreUnchanged()
    {
        using var model = RandomModel();
        var (logDensity, logProposal) = Forward(model, ScalarType.Float64);
        AssertClose(ForwardLogDensity, logDensity, 1e-9);
        AssertClose(ForwardLogProposal, logProposal, 1e-9);
        AssertClose(EstimatedLogDensity, Estimated(model), 1e-9);
        AssertClose(ResampledValues, Resampled(model), 1e-9);
    }

    [Fact]
    public void CheckpointWrittenBeforeContexts_LoadsWithItsWeightsAndOutputs()
    {
        var run = SavedRun.Open(FixturePath);
        Assert.Equal(0, run.File.Model.ConditioningFeatures);
        using var model = run.LoadModel();
        Assert.Equal(FixtureParametersSha256, ParameterHash(model));
        var (logDensity, _) = Forward(model, ScalarType.Float32);
        AssertClose(FixtureLogDensity, logDensity, 1e-5);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])), $"value {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
