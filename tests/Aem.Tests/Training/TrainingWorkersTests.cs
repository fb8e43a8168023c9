using Aem.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Aem.Tests.Training;

/// <summary>Two workers running a step's two micro-batches at once, and the flat parameters and Adam under every step.</summary>
public class TrainingWorkersTests
{
    // 32 examples × D 2 × (1 + S 20) = 1,344 energy-network rows: two micro-batches of at most 700.
    private static readonly AemObjectiveOptions TwoPieces = new() { ValidationSamples = 20, MicroBatchRows = 700 };

    private static TrainerOptions Training(int steps) => new()
    {
        BatchSize = 32, Steps = steps, WarmupSteps = 0, LearningRate = 3e-3, ValidateEvery = 3,
        ReportEvery = 1, CheckpointEvery = 0, Seed = 7,
    };

    [Theory]
    [InlineData(0, 0.0, 700)]
    [InlineData(1, 0.0, 700)] // p(x | c): each piece's rows carry their context to its worker
    [InlineData(0, 0.2, 700)] // dropout: each piece draws its masks from its own stream
    [InlineData(0, 0.2, 300)] // five pieces: the odd ones' gradients are summed apart, then added
    [InlineData(1, 0.0, 250)] // six pieces
    public void TrainedWeights_DoNotDependOnTheWorkerCount(int contextFeatures, double dropout, long microBatchRows)
    {
        var options = TestModels.Small(2) with { ConditioningFeatures = contextFeatures, Dropout = dropout };
        var objectiveOptions = TwoPieces with { MicroBatchRows = microBatchRows };
        Assert.True(TrainingParallelism.CanUseWorkers(options, objectiveOptions, 32));
        using var data = Data(200, seed: 1, columns: 2 + contextFeatures);
        using var validation = Data(40, seed: 2, columns: 2 + contextFeatures);
        var results = new List<(Dictionary<string, Tensor> Weights, double?[] History)>();
        foreach (int workers in new[] { 1, 2 })
        {
            using var model = TestModels.Aem(options, seed: 3, keepZeros: true, dtype: ScalarType.Float32);
            var objective = new AemObjective(model, objectiveOptions) { Workers = workers };
            using var trainer = new Trainer<AemStep, ValidationScore>(objective, Training(8));
            var state = trainer.Run(data, validation).State;
            results.Add((TestModels.Snapshot(model), state.History.Select(h => h.LogDensity).ToArray()));
        }
        foreach (var (name, expected) in results[0].Weights)
        {
            double difference = (results[1].Weights[name] - expected).abs().max().ToDouble();
            Assert.True(difference == 0, $"{name} differs between one and two workers by {difference}");
        }
        Assert.Equal(results[0].History, results[1].History);
    }

    [Fact]
    public void FlatAdam_FollowsTorchSharpsAdam()
    {
        // The trainer's Adam on flat buffers against TorchSharp's Adam.step() on the same gradients.
        var options = TestModels.Small(2);
        using var flatModel = TestModels.Aem(options, seed: 5, dtype: ScalarType.Float64);
        using var reference = TestModels.Aem(options, seed: 5, dtype: ScalarType.Float64);
        using var flat = new FlatParameters(flatModel.parameters());
        using var flatOptimizer = optim.Adam(flat.Parameters, 1e-2);
        using var flatAdam = new FlatAdam(flatOptimizer, flat);
        using var referenceOptimizer = optim.Adam(reference.parameters(), 1e-2);
        using var x = Data(16, seed: 9).to(ScalarType.Float64);
        for (int step = 0; step < 4; step++)
        {
            flat.ZeroGradients();
            using (var loss = flatModel.LogProposal(x).mean().neg()) loss.backward();
            flatAdam.Step();
            referenceOptimizer.zero_grad();
            using (var loss = reference.LogProposal(x).mean().neg()) loss.backward();
            referenceOptimizer.step();
        }
        var expected = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in flatModel.named_parameters())
        {
            Assert.True(parameter.allclose(expected[name], rtol: 1e-12, atol: 1e-14), $"{name} differs from TorchSharp's Adam");
        }
        // Every parameter is a view of the flat values: an update there is an update of the model.
        Assert.True(flatModel.parameters().All(p => p.grad is not null));
        double before = flatModel.parameters().First().detach().sum().ToDouble();
        using (no_grad()) flat.Values.add_(ones_like(flat.Values));
        double after = flatModel.parameters().First().detach().sum().ToDouble();
        Assert.Equal(before + flatModel.parameters().First().numel(), after, 6);
    }

    private static Tensor Data(int rows, ulong seed, int columns = 2)
    {
        using var generator = new Generator(seed, CPU);
        return randn([rows, columns], generator: generator);
    }
}

/// <summary>The measured choice changes process-wide settings, so it runs alone (with the other global-state tests).</summary>
[Collection(nameof(Checkpoints.GlobalRandomState))]
public class TrainingParallelismTests
{
    [Fact]
    public void Choose_MeasuresEveryWay_AndSetsTheFastest()
    {
        var model = TestModels.Small(2);
        var objective = new AemObjectiveOptions { ValidationSamples = 20, MicroBatchRows = 700 };
        var training = new TrainerOptions { BatchSize = 32, Steps = 10, LearningRate = 1e-3, ValidateEvery = 0 };
        using var data = rand(200, 2);
        int threads = get_num_threads();
        try
        {
            var choice = TrainingParallelism.Choose(model, CPU, training, objective, data, cores: 2, probeSeconds: 0.05, warmSeconds: 0.01);
            Assert.True(choice.ThreadsStepsPerSecond > 0 && choice.WorkersStepsPerSecond > 0);
            double best = new[] { choice.ThreadsStepsPerSecond!.Value, choice.OneThreadStepsPerSecond!.Value, choice.WorkersStepsPerSecond!.Value }.Max();
            var expected = best == choice.WorkersStepsPerSecond ? (1, 2) : best == choice.OneThreadStepsPerSecond ? (1, 1) : (2, 1);
            Assert.Equal(expected, (choice.Threads, choice.Workers));
            Assert.Equal(choice.Workers, Aem.Runtime.TorchRuntime.TrainingWorkers);
            Assert.Equal(choice.Threads, get_num_threads());
            Assert.Contains("measured", choice.Describe());

            // A batch of one micro-batch cannot be split between workers: nothing is measured.
            var unsplittable = TrainingParallelism.Choose(model, CPU, training, objective with { MicroBatchRows = null }, data, cores: 2);
            Assert.Equal((2, 1, (double?)null), (unsplittable.Threads, unsplittable.Workers, unsplittable.ThreadsStepsPerSecond));
        }
        finally
        {
            Aem.Runtime.TorchRuntime.SetTrainingWorkers(1);
            set_num_threads(threads);
        }
    }
}
