using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Aem.Benchmarking;
using Aem.Cli.Output;
using Aem.Runtime;

namespace Aem.Cli.Commands;

/// <summary>
/// <c>aem bench</c>: the machine's matrix-product rate, training-step times, evaluation and sampling
/// throughput and peak memory, in one run (docs/performance.md). Each case runs in a fresh child
/// process so that its peak resident memory is its own.
/// </summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        var command = new Command("bench", "Measure speed and memory on this machine: matrix-product rate, training steps (2-D, POWER, HEPMASS), evaluation at S = 20,000, sampling. Prints a table and writes bench.json.");
        var cases = new Option<string>("--cases") { Description = $"Comma-separated cases: {string.Join(", ", BenchmarkCases.Names)}.", DefaultValueFactory = _ => string.Join(',', BenchmarkCases.Names) };
        var threadCounts = new Option<string>("--thread-counts") { Description = "Comma-separated torch thread counts to measure each case with.", DefaultValueFactory = _ => "1,2" };
        var repetitions = new Option<int>("--repetitions") { Description = "Timed repetitions per case after one warm-up (training steps: at least 20 is meaningful).", DefaultValueFactory = _ => 20 };
        var microRows = new Option<long?>("--micro-batch-rows") { Description = "Energy-net rows per training micro-batch (default: the demo's two pieces per batch for train-demo, the trainer's 4,096 otherwise).", HelpName = "ROWS" };
        var inProcess = new Option<bool>("--in-process") { Description = "Run every case in this process (peak memory then accumulates across cases)." };
        var single = new Option<string?>("--run-case") { Hidden = true };
        var device = new Option<string>("--device") { Description = "Compute device: cpu, cuda or cuda:N.", DefaultValueFactory = _ => "cpu" };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for bench.json and bench.md (default: runs/bench-DATE-TIME).", HelpName = "DIR" };
        foreach (var option in new Option[] { cases, threadCounts, repetitions, microRows, inProcess, single, device, output }) command.Add(option);
        command.SetAction(result =>
        {
            var resolved = TorchRuntime.ResolveDevice(result.GetValue(device));
            int reps = result.GetValue(repetitions);
            if (reps < 1) throw new UsageException($"--repetitions must be at least 1 (got {reps}).");
            long? micro = result.GetValue(microRows);
            if (result.GetValue(single) is { } one)
            {
                // Child mode: one case, one JSON line on standard output.
                var parts = one.Split(':');
                var measured = BenchmarkCases.Run(parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture), reps, resolved, micro);
                context.Out.WriteLine(JsonSerializer.Serialize(measured));
                return Cli.Ok;
            }
            var names = Split(result.GetValue(cases)!);
            foreach (var name in names.Where(n => !BenchmarkCases.Names.Contains(n)))
            {
                throw new UsageException($"unknown benchmark case '{name}'; choose from {string.Join(", ", BenchmarkCases.Names)}.");
            }
            var threads = Split(result.GetValue(threadCounts)!).Select(t =>
                int.TryParse(t, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw new UsageException($"--thread-counts: '{t}' is not a positive integer.")).ToArray();
            string folder = result.GetValue(output) ?? Path.Combine("runs", $"bench-{DateTime.Now:yyyyMMdd-HHmmss}");
            var results = new List<BenchmarkResult>();
            foreach (var name in names)
            {
                foreach (int n in threads)
                {
                    context.Out.WriteLine($"bench: {name} with {n} thread{(n == 1 ? "" : "s")} …");
                    var measured = result.GetValue(inProcess)
                        ? BenchmarkCases.Run(name, n, reps, resolved, micro)
                        : RunChild(name, n, reps, result.GetValue(device)!, micro);
                    results.Add(measured);
                    context.Out.WriteLine("  " + Row(measured));
                }
            }
            var report = new { Machine = Machine(), Repetitions = reps, MicroBatchRows = micro, Results = results };
            AtomicFile.WriteAllText(Path.Combine(folder, "bench.json"), JsonSerializer.Serialize(report, Indented));
            AtomicFile.WriteAllText(Path.Combine(folder, "bench.md"), Table(results, MatmulRate(results)));
            context.Out.WriteLine();
            context.Out.Write(Table(results, MatmulRate(results)));
            context.Out.WriteLine($"bench: wrote {Path.Combine(folder, "bench.json")} and bench.md");
            return Cli.Ok;
        });
        return command;
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static BenchmarkResult RunChild(string name, int threads, int repetitions, string device, long? micro)
    {
        // Re-run this same program: the apphost directly, or `dotnet Aem.Cli.dll` when started that way.
        string program = Environment.ProcessPath!;
        var arguments = new List<string>();
        if (Path.GetFileNameWithoutExtension(program) == "dotnet") arguments.Add(typeof(BenchCommand).Assembly.Location);
        arguments.AddRange(["bench", "--run-case", $"{name}:{threads}", "--repetitions", repetitions.ToString(CultureInfo.InvariantCulture), "--device", device]);
        if (micro is { } m) arguments.AddRange(["--micro-batch-rows", m.ToString(CultureInfo.InvariantCulture)]);
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string? line = stdout.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"benchmark case {name} ({threads} threads) failed: {stderr.Result.Trim()}");
        }
        return JsonSerializer.Deserialize<BenchmarkResult>(line)!;
    }

    private static double? MatmulRate(List<BenchmarkResult> results) =>
        results.Where(r => r.Case == "matmul").Select(r => (double?)r.Median).DefaultIfEmpty(null).Max();

    private static string Row(BenchmarkResult r)
    {
        string peak = r.PeakResidentBytes is { } b ? $"{b / 1e6:N0} MB" : "n/a";
        string gflops = r.AchievedGflops is { } g ? $", {g:N1} GFLOP/s" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{r.Case} ×{r.Threads}: median {r.Median:G4} {r.Unit} (min {r.Min:G4}, max {r.Max:G4}, n = {r.Repetitions}){gflops}, peak RSS {peak}");
    }

    private static string Table(List<BenchmarkResult> results, double? matmul)
    {
        var s = new StringBuilder();
        s.AppendLine("| case | threads | median | min | max | unit | GFLOP/step | achieved GFLOP/s | % of matmul rate | peak RSS |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            // Fraction of the matmul rate measured with the same thread count.
            double? rate = results.Where(m => m.Case == "matmul" && m.Threads == r.Threads).Select(m => (double?)m.Median).FirstOrDefault() ?? matmul;
            string fraction = r.AchievedGflops is { } g && rate is { } m2 ? $"{100 * g / m2:N0} %" : "";
            s.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Case} | {r.Threads} | {r.Median:G4} | {r.Min:G4} | {r.Max:G4} | {r.Unit} | {(r.FlopsPerRepetition is { } f ? (f / 1e9).ToString("N1", CultureInfo.InvariantCulture) : "")} | {(r.AchievedGflops is { } a ? a.ToString("N1", CultureInfo.InvariantCulture) : "")} | {fraction} | {(r.PeakResidentBytes is { } b ? $"{b / 1e6:N0} MB" : "n/a")} |"));
        }
        return s.ToString();
    }

    private static object Machine() => new
    {
        Environment.ProcessorCount,
        Os = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        Cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() : null,
        LoadAverage = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null,
    };
}
