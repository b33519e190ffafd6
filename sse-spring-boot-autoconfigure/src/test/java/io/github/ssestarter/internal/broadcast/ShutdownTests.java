package io.github.ssestarter.internal.broadcast;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the application ends every stream cleanly, after a last retry hint.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownTests {

	@Test
	void endsOpenStreamsWithARetryHintAndNoStackTraces(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = SpringApplication.run(BroadcastTestApplication.class,
				"--server.port=0", "--spring.main.banner-mode=off");
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		DefaultSseBroadcaster broadcaster = context.getBean(DefaultSseBroadcaster.class);
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/topics/closing")).build();
		HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
				HttpResponse.BodyHandlers.ofInputStream());
		CompletableFuture<String> body = CompletableFuture.supplyAsync(() -> {
			try (InputStream in = response.body()) {
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (Exception ex) {
				return "failed: " + ex;
			}
		});
		await().atMost(Duration.ofSeconds(10)).until(() -> broadcaster.subscriberCount("closing") == 1);
		broadcaster.publish("closing", "last words");

		context.close();

		String received = body.get(10, TimeUnit.SECONDS);
		assertThat(received).contains("data: last words\n\n").endsWith("retry: 1000\n\n");
		assertThat(output).doesNotContain("Exception").doesNotContain("ERROR");
	}

}
