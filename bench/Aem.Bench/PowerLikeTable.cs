using System.Globalization;
using System.Text;

/// <summary>
/// A synthetic stand-in for the POWER table (which is not available here): six columns with POWER's kinds of
/// structure — a skewed load with a daily cycle, a reactive load and a voltage that depend on it
/// heteroscedastically, a current almost proportional to it, a sub-meter that is mostly zero with integer
/// readings dequantised by uniform noise, and the time of day. Used to train a POWER-preset model for the
/// normaliser measurements; it is not POWER and its scores are not comparable with the paper's.
/// </summary>
internal static class PowerLikeTable
{
    public static void Write(int rows, int seed, string path)
    {
        var random = new Random(seed);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var text = new StringBuilder("active,reactive,voltage,intensity,submeter,time\n");
        for (int i = 0; i < rows; i++)
        {
            double time = random.NextDouble();
            double active = Math.Exp(-1 + (0.8 * Math.Sin(2 * Math.PI * time)) + (0.6 * Normal()));
            double reactive = 0.1 * Math.Sqrt(active) * Math.Exp(0.3 * Normal());
            double voltage = 240 - (2 * active) + (1.5 * Normal());
            double intensity = (4.2 * active) + (0.1 * Normal());
            double reading = random.NextDouble() < 0.3 ? Math.Floor(-8 * Math.Log(1 - random.NextDouble())) : 0;
            double submeter = reading + random.NextDouble();
            text.Append(string.Create(CultureInfo.InvariantCulture, $"{active:G6},{reactive:G6},{voltage:G6},{intensity:G6},{submeter:G6},{time:G6}\n"));
        }
        File.WriteAllText(path, text.ToString());
    }
}
