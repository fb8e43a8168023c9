namespace Aem; internal static class Placeholder { }
