using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Aem.Cli.Output;
using Aem.Cli.Parsing;
using Aem.Cli.Terminal;
using Aem.Vae;

namespace Aem.Cli.Commands;

/// <summary><c>aem vae evaluate</c>: the rows of Table 2 (ELBO and the 50-sample bound of log p(x), ± 2 SE) beside the paper's.</summary>
internal static class VaeEvaluateCommand
{
    /// <summary>The paper's Table 2 (ELBO, log p(x)), by row name.</summary>
    private static readonly Dictionary<string, (double Elbo, double LogLikelihood)> Paper = new(StringComparer.Ordinal)
    {
        ["Gaussian"] = (-84.43, -81.23),
        ["ResMADE"] = (-82.96, -79.89),
        ["AEM-KDE"] = (-82.95, -79.88),
        ["AEM"] = (-82.92, -79.87),
    };

    public static Command Create(CliContext context)
    {
        var command = new Command("evaluate", "Table 2: the ELBO and the importance-weighted bound of log p(x) (Burda et al.) on the test set " +
            "(fixed binarisation), ± 2 standard errors, for the Gaussian prior and each learned prior given, on the same posterior draws.");
        var vae = VaeArguments.Vae();
        var resmade = new Option<string?>("--resmade") { Description = "A 'fit-prior --prior resmade' run: its ResMADE-MoG as the prior.", HelpName = "DIR" };
        var aem = new Option<string?>("--aem") { Description = "A 'fit-prior --prior aem' run: the AEM, its own proposal and its AEM-KDE as priors.", HelpName = "DIR" };
        var mnist = VaeArguments.Mnist();
        var samples = new Option<int>("--samples", "-k") { Description = "K, posterior samples per image for the bound (the paper: 50).", DefaultValueFactory = _ => 50 };
        var priorSamples = new Option<int>("--prior-samples") { Description = "S, importance samples per conditional for the AEM's log p(z) (the paper: 1,000).", DefaultValueFactory = _ => 1000 };
        var kdeSamples = new Option<int>("--kde-samples") { Description = "S for the AEM-KDE prior: proposal samples per conditional, in the (h, λ) search and the scores (the paper: 20,000).", DefaultValueFactory = _ => 1000 };
        var kdeValidation = new Option<int>("--kde-validation-points") { Description = "Validation images whose latents choose AEM-KDE's h and λ.", DefaultValueFactory = _ => 500, HelpName = "N" };
        var maxPoints = new Option<int?>("--max-points") { Description = "Score only the first N test images (with an AEM, the full 10,000 take many hours on a CPU).", HelpName = "N" };
        var output = new Option<string?>("--output") { Description = "Also write the table to this file: .md, or .json with the per-row summaries.", HelpName = "FILE" };
        foreach (var option in new Option[] { vae, resmade, aem, mnist, samples, priorSamples, kdeSamples, kdeValidation, maxPoints, output }) command.Add(option);
        var common = CommonOptions.AddTo(command, "", withOut: false);
        command.SetAction(result =>
        {
            VaeArguments.ApplyRuntime(common, result);
            var options = new VaeEvaluationOptions
            {
                Samples = result.GetValue(samples),
                PriorSamples = result.GetValue(priorSamples),
                KdeSamples = result.GetValue(kdeSamples),
                KdeValidationPoints = result.GetValue(kdeValidation),
                MaxPoints = result.GetValue(maxPoints),
                Seed = result.GetValue(common.Seed),
            };
            if (options.Samples < 1 || options.PriorSamples < 1 || options.KdeSamples < 1 || options.KdeValidationPoints < 1)
            {
                throw new UsageException("--samples, --prior-samples, --kde-samples and --kde-validation-points must be at least 1.");
            }
            var progress = new LinePrinter<long>(context.Out, n => n % 100 == 0 ? $"{n:N0} test images scored" : null);
            var rows = VaeExperiment.Evaluate(result.GetValue(vae)!, result.GetValue(mnist)!, result.GetValue(resmade), result.GetValue(aem), options, progress, context.Stop.Token);
            string table = Table(rows, options);
            context.Out.Write(table);
            if (result.GetValue(output) is { } file)
            {
                string text = file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? Json(rows, options) : table;
                AtomicFile.WriteAllText(file, text);
                context.Out.WriteLine($"wrote {Path.GetFullPath(file)}");
            }
            return Cli.Ok;
        });
        return command;
    }

    private static string Table(IReadOnlyList<BoundEstimates> rows, VaeEvaluationOptions options)
    {
        var text = new StringBuilder();
        int n = rows.Count > 0 ? rows[0].Elbo.Length : 0;
        text.AppendLine(CultureInfo.InvariantCulture, $"test images: {n:N0} (fixed binarisation); K = {options.Samples} posterior samples per image; the AEM's log p(z) with S = {options.PriorSamples} per conditional, AEM-KDE's with S = {options.KdeSamples}");
        text.AppendLine("| prior | ELBO | log p(x) ≥ | paper ELBO | paper log p(x) |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (var row in rows)
        {
            string key = row.Prior.StartsWith("AEM (", StringComparison.Ordinal) ? "AEM"
                : row.Prior.StartsWith("AEM-KDE", StringComparison.Ordinal) ? "AEM-KDE" : row.Prior;
            string paper = Paper.TryGetValue(key, out var p) ? FormattableString.Invariant($"{p.Elbo:F2} | {p.LogLikelihood:F2}") : "– | –";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Prior}{(row.PriorIsExact ? "" : ", estimate")} | {row.ElboSummary} | {row.LogLikelihoodSummary} | {paper} |");
        }
        return text.ToString();
    }

    private static string Json(IReadOnlyList<BoundEstimates> rows, VaeEvaluationOptions options) => JsonSerializer.Serialize(
        new
        {
            options.Samples,
            options.PriorSamples,
            options.KdeSamples,
            options.KdeValidationPoints,
            TestImages = rows.Count > 0 ? rows[0].Elbo.Length : 0,
            Rows = rows.Select(r => new { r.Prior, r.PriorIsExact, Elbo = r.ElboSummary, LogLikelihood = r.LogLikelihoodSummary }),
        },
        Indented);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
