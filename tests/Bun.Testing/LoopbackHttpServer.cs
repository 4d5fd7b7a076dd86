using System.Net;
using System.Net.Sockets;

namespace Bun.Testing;

/// <summary>
/// An HTTP server on a free port of 127.0.0.1 that hands every request to one handler: the plumbing under the test
/// doubles of services that cannot run here (Argo CD, GitHub).
/// </summary>
public sealed class LoopbackHttpServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _serving;

    private LoopbackHttpServer(HttpListener listener, Uri url, Func<HttpListenerContext, Task> handle)
    {
        _listener = listener;
        Url = url;
        _serving = Task.Run(() => ServeAsync(handle));
    }

    public Uri Url { get; }

    public static LoopbackHttpServer Start(Func<HttpListenerContext, Task> handle)
    {
        for (var attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var url = new Uri($"http://127.0.0.1:{port}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(url.ToString());
            try
            {
                listener.Start();
                return new LoopbackHttpServer(listener, url, handle);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // Another process took the port between the probe and the listener: try another.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: after Stop, Close would look the port up again, and another listener may have it by then.
        _listener.Close();
        await _serving;
    }

    private async Task ServeAsync(Func<HttpListenerContext, Task> handle)
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception stopped) when (stopped is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => handle(context));
        }
    }
}
