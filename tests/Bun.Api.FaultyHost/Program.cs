using System.Globalization;
using Bun.Api;

// The real service (BunApiApp) with one middleware more, inside its request metrics: every application request whose
// number falls in the failing share answers 503, so that /metrics counts the failures as the service's own. /healthz and
// /metrics keep answering. How a bad version misbehaves lives here, in the tests, never in the image.
const string ShareOption = "--failure-share";
var index = Array.IndexOf(args, ShareOption);
var share = index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], CultureInfo.InvariantCulture) : 0.5;
var appArgs = index >= 0 ? args.Where((_, position) => position != index && position != index + 1).ToArray() : args;

var app = BunApiApp.Create(appArgs);
long requests = 0;
app.Use(async (context, next) =>
{
    var path = context.Request.Path;
    // Spread evenly: request n fails when it takes the running count of failures n × share one higher.
    var failing = !path.StartsWithSegments("/healthz") && !path.StartsWithSegments("/metrics")
                  && Interlocked.Increment(ref requests) is var n && Math.Floor(n * share) > Math.Floor((n - 1) * share);
    if (failing)
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
    else
        await next(context);
});
await app.RunAsync();
