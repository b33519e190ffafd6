package io.github.ssestarter.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import io.github.ssestarter.SseBroadcaster;
import io.github.ssestarter.SseDataEncoder;
import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseItem;
import io.github.ssestarter.SseListener;
import io.github.ssestarter.internal.broadcast.ResumableStreams;
import io.github.ssestarter.internal.web.SseConnectionManager;
import io.github.ssestarter.internal.web.SseEndpointSettings;
import io.github.ssestarter.internal.webmvc.ServletStreams;
import io.github.ssestarter.internal.webmvc.SseProblemResolver;
import io.github.ssestarter.internal.webmvc.SseReturnValueHandler;
import io.github.ssestarter.internal.wire.SseFrameEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link SseAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class SseAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, SseWebMvcAutoConfiguration.class,
				JacksonAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
				DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class));

	@Test
	void registersTheStreamingBeansInAServletApplication() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(SseReturnValueHandler.class)
			.hasSingleBean(SseConnectionManager.class)
			.hasSingleBean(SseFrameEncoder.class)
			.hasSingleBean(SseDataEncoder.class)
			.hasSingleBean(SseProperties.class));
	}

	@Test
	void encodesDataWithTheApplicationsJsonMapper() {
		this.contextRunner.withPropertyValues("spring.jackson.property-naming-strategy=SNAKE_CASE").run((context) -> {
			Point point = new Point(1, 2, "corner");
			String json = context.getBean(SseDataEncoder.class).encode(point);
			assertThat(json).isEqualTo(context.getBean(JsonMapper.class).writeValueAsString(point))
				.contains("\"point_name\":\"corner\"");
			byte[] frame = context.getBean(SseFrameEncoder.class).encode(SseItem.of(point));
			assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("data: " + json + "\n\n");
		});
	}

	@Test
	void putsItsReturnValueHandlerAheadOfSpringMvcsOwn() {
		this.contextRunner.run((context) -> {
			RequestMappingHandlerAdapter adapter = context.getBean(RequestMappingHandlerAdapter.class);
			assertThat(adapter.getReturnValueHandlers()).first()
				.isSameAs(context.getBean(SseReturnValueHandler.class));
			assertThat(adapter.getReturnValueHandlers()).filteredOn(SseReturnValueHandler.class::isInstance)
				.hasSize(1);
		});
	}

	@Test
	void claimsOnlyMethodsThatAskForAnEventStream() {
		this.contextRunner.run((context) -> {
			SseReturnValueHandler handler = context.getBean(SseReturnValueHandler.class);
			assertThat(handler.supportsReturnType(returnTypeOf("stream"))).isTrue();
			assertThat(handler.supportsReturnType(returnTypeOf("fluxOfItems"))).isTrue();
			assertThat(handler.supportsReturnType(returnTypeOf("fluxOfServerSentEvents"))).isTrue();
			assertThat(handler.supportsReturnType(returnTypeOf("annotatedFlux"))).isTrue();
			assertThat(handler.supportsReturnType(returnTypeOf("producingFlux"))).isTrue();
			assertThat(handler.supportsReturnType(returnTypeOf("flux"))).isFalse();
			assertThat(handler.supportsReturnType(returnTypeOf("plainStream"))).isFalse();
			assertThat(handler.supportsReturnType(returnTypeOf("jsonFlux"))).isFalse();
			assertThat(handler.supportsReturnType(returnTypeOf("text"))).isFalse();
		});
	}

	@Test
	void failsToStartWithAnEndpointWhoseEventTypeHasALineBreak() {
		this.contextRunner.withUserConfiguration(BadEventTypeController.class)
			.run((context) -> assertThat(failureMessages(context)).contains("@SseEndpoint on")
				.contains("BadEventTypeController.ticks()")
				.contains("eventType must be a non-empty single line"));
	}

	@Test
	void failsToStartWithAnEndpointWhoseResumeWindowIsNotPositive() {
		this.contextRunner.withUserConfiguration(BadResumeWindowController.class)
			.run((context) -> assertThat(failureMessages(context)).contains("@SseEndpoint on")
				.contains("BadResumeWindowController.ticks()")
				.contains("resumeWindow must be positive"));
	}

	@Test
	void failsToStartWithAnEndpointWhoseHeartbeatIsNotPositive() {
		this.contextRunner.withUserConfiguration(ZeroHeartbeatController.class)
			.run((context) -> assertThat(failureMessages(context)).contains("@SseEndpoint on")
				.contains("ZeroHeartbeatController.ticks()")
				.contains("heartbeat must be positive"));
	}

	@RestController
	static class ZeroHeartbeatController {

		@GetMapping("/ticks")
		@SseEndpoint(heartbeat = "0s")
		Stream<String> ticks() {
			return Stream.empty();
		}

	}

	@RestController
	static class BadEventTypeController {

		@GetMapping("/ticks")
		@SseEndpoint(eventType = "tick\nfake")
		Stream<String> ticks() {
			return Stream.empty();
		}

	}

	@RestController
	static class BadResumeWindowController {

		@GetMapping("/ticks")
		@SseEndpoint(resumeWindow = "0s")
		Stream<String> ticks() {
			return Stream.empty();
		}

	}

	@Test
	void backsOffFromAUserDefinedDataEncoder() {
		this.contextRunner.withUserConfiguration(CustomDataEncoderConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(SseDataEncoder.class)
				.getBean(SseDataEncoder.class)
				.isSameAs(context.getBean(CustomDataEncoderConfiguration.class).encoder);
			byte[] frame = context.getBean(SseFrameEncoder.class).encode(SseItem.of(new Point(1, 2, "p")));
			assertThat(new String(frame, StandardCharsets.UTF_8)).isEqualTo("data: custom\n\n");
		});
	}

	@Test
	void backsOffFromAUserDefinedConnectionManager() {
		this.contextRunner.withUserConfiguration(CustomConnectionManagerConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(SseConnectionManager.class)
				.getBean(SseConnectionManager.class)
				.isSameAs(context.getBean(CustomConnectionManagerConfiguration.class).manager));
	}

	@Test
	void backsOffFromAUserDefinedFrameEncoder() {
		this.contextRunner.withUserConfiguration(CustomFrameEncoderConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(SseFrameEncoder.class)
				.getBean(SseFrameEncoder.class)
				.isSameAs(context.getBean(CustomFrameEncoderConfiguration.class).encoder));
	}

	@Test
	void backsOffFromAUserDefinedReturnValueHandler() {
		this.contextRunner.withUserConfiguration(CustomReturnValueHandlerConfiguration.class).run((context) -> {
			SseReturnValueHandler handler = context.getBean(CustomReturnValueHandlerConfiguration.class).handler;
			assertThat(context).hasSingleBean(SseReturnValueHandler.class)
				.getBean(SseReturnValueHandler.class)
				.isSameAs(handler);
			assertThat(context.getBean(RequestMappingHandlerAdapter.class).getReturnValueHandlers()).first()
				.isSameAs(handler);
		});
	}

	@Test
	void leavesJsonOutWhenThereIsNoJsonMapper() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, SseWebMvcAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(SseFrameEncoder.class).doesNotHaveBean(SseDataEncoder.class);
				SseFrameEncoder encoder = context.getBean(SseFrameEncoder.class);
				assertThat(new String(encoder.encode(SseItem.of("text")), StandardCharsets.UTF_8))
					.isEqualTo("data: text\n\n");
				assertThatIllegalArgumentException()
					.isThrownBy(() -> encoder.encode(SseItem.of(new Point(1, 2, "p"))))
					.withMessageContaining(Point.class.getName())
					.withMessageContaining("SseDataEncoder");
			});
	}

	@Test
	void startsWithoutJacksonAndWritesStrings() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("tools.jackson.", "com.fasterxml.jackson.",
				"org.springframework.boot.jackson."))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(SseReturnValueHandler.class)
					.doesNotHaveBean(SseDataEncoder.class);
				SseFrameEncoder encoder = context.getBean(SseFrameEncoder.class);
				assertThat(new String(encoder.encode(SseItem.of("text")), StandardCharsets.UTF_8))
					.isEqualTo("data: text\n\n");
			});
	}

	@Test
	void isAbsentFromAnApplicationThatIsNotAWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, SseWebMvcAutoConfiguration.class,
					JacksonAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SseReturnValueHandler.class)
				.doesNotHaveBean(SseConnectionManager.class)
				.doesNotHaveBean(SseFrameEncoder.class)
				.doesNotHaveBean(SseDataEncoder.class)
				.doesNotHaveBean(SseProperties.class));
	}

	@Test
	void saysAtStartupThatAnApplicationWithWebFluxTooRunsOnSpringMvc(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).contains("Spring WebFlux is on the class path too, but this application runs on Spring MVC")
			.contains("sse-spring-boot-starter-webflux");
	}

	@Test
	void saysNothingOfTheWebStackOnceTheApplicationChoseIt(CapturedOutput output) {
		this.contextRunner.withPropertyValues("spring.main.web-application-type=servlet")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("Spring WebFlux is on the class path too");
	}

	@Test
	void activatesNothingOfTheSpringMvcIntegrationInAReactiveWebApplication() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SseAutoConfiguration.class, SseWebMvcAutoConfiguration.class,
					JacksonAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(SseReturnValueHandler.class)
				.doesNotHaveBean(ServletStreams.class)
				.doesNotHaveBean(SseProblemResolver.class)
				.hasSingleBean(SseBroadcaster.class)
				.hasSingleBean(SseConnectionManager.class));
	}

	@Test
	void isAbsentWithoutSpringMvc() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(SseReturnValueHandler.class));
	}

	@Test
	void answersStreamsButLeavesFluxAloneWithoutReactor() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Flux.class)).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(SseReturnValueHandler.class);
			SseReturnValueHandler handler = context.getBean(SseReturnValueHandler.class);
			assertThat(handler.supportsReturnType(returnTypeOf("stream"))).isTrue();
			assertThat(handler.supportsReturnType(returnTypeOf("flux"))).isFalse();
			assertThat(context.getBean(RequestMappingHandlerAdapter.class).getReturnValueHandlers()).first()
				.isSameAs(handler);
		});
	}

	@Test
	void usesDefaultsWhenNoPropertiesAreSet() {
		this.contextRunner.run((context) -> {
			SseProperties properties = context.getBean(SseProperties.class);
			assertThat(properties.getHeartbeat()).isEqualTo(Duration.ofSeconds(15));
			assertThat(properties.getTimeout()).isNull();
			assertThat(properties.getRetry()).isNull();
			assertThat(properties.getMaxLastEventIdLength()).isEqualTo(256);
			assertThat(properties.getExecutor().getMaxPlatformThreads()).isEqualTo(256);
		});
	}

	@Test
	void bindsTheSseProperties() {
		this.contextRunner
			.withPropertyValues("sse.heartbeat=5s", "sse.timeout=10m", "sse.retry=2500ms",
					"sse.max-last-event-id-length=64", "sse.executor.max-platform-threads=8")
			.run((context) -> {
				SseProperties properties = context.getBean(SseProperties.class);
				assertThat(properties.getHeartbeat()).isEqualTo(Duration.ofSeconds(5));
				assertThat(properties.getTimeout()).isEqualTo(Duration.ofMinutes(10));
				assertThat(properties.getRetry()).isEqualTo(Duration.ofMillis(2500));
				assertThat(properties.getMaxLastEventIdLength()).isEqualTo(64);
				assertThat(properties.getExecutor().getMaxPlatformThreads()).isEqualTo(8);
			});
	}

	@Test
	void appliesTheBoundPropertiesToEveryEndpointWithoutOverrides() {
		this.contextRunner.withPropertyValues("sse.heartbeat=5s", "sse.timeout=10m", "sse.retry=2500ms")
			.run((context) -> {
				SseReturnValueHandler handler = context.getBean(SseReturnValueHandler.class);
				assertThat(handler).extracting("methods.defaults")
					.isEqualTo(new SseEndpointSettings(null, Duration.ofSeconds(5), Duration.ofMinutes(10),
							Duration.ofMillis(2500)));
			});
	}

	@Test
	void failsToStartWithAHeartbeatThatIsNotPositive() {
		this.contextRunner.withPropertyValues("sse.heartbeat=0s")
			.run((context) -> assertThat(failureMessages(context)).contains("sse.heartbeat must be positive"));
	}

	@Test
	void failsToStartWithATimeoutThatIsNotPositive() {
		this.contextRunner.withPropertyValues("sse.timeout=-1s")
			.run((context) -> assertThat(failureMessages(context)).contains("sse.timeout must be positive"));
	}

	@Test
	void failsToStartWithANegativeRetry() {
		this.contextRunner.withPropertyValues("sse.retry=-1s")
			.run((context) -> assertThat(failureMessages(context)).contains("sse.retry must not be negative"));
	}

	@Test
	void failsToStartWithoutRoomForALastEventId() {
		this.contextRunner.withPropertyValues("sse.max-last-event-id-length=0")
			.run((context) -> assertThat(failureMessages(context))
				.contains("sse.max-last-event-id-length must be at least 1, was 0"));
	}

	@Test
	void failsToStartWithAnEmptySubscriberQueue() {
		this.contextRunner.withPropertyValues("sse.subscriber.queue-capacity=0")
			.run((context) -> assertThat(failureMessages(context))
				.contains("sse.subscriber.queue-capacity must be at least 1, was 0"));
	}

	@Test
	void failsToStartWithAMultiLineResetEventType() {
		this.contextRunner.withPropertyValues("sse.replay.reset-event-type=a\nb")
			.run((context) -> assertThat(failureMessages(context))
				.contains("sse.replay.reset-event-type must be one non-empty line"));
	}

	@Test
	void failsToStartWithAnEmptyResponseBuffer() {
		this.contextRunner.withPropertyValues("sse.response-buffer-size=0")
			.run((context) -> assertThat(failureMessages(context))
				.contains("sse.response-buffer-size must be between 1B and 2147483647B, was 0B"));
	}

	@Test
	void failsToStartWithAResponseBufferBeyondWhatAServletTakes() {
		this.contextRunner.withPropertyValues("sse.response-buffer-size=3GB")
			.run((context) -> assertThat(failureMessages(context))
				.contains("sse.response-buffer-size must be between 1B and 2147483647B, was 3221225472B"));
	}

	@Test
	void failsToStartWithoutExecutorThreads() {
		this.contextRunner.withPropertyValues("sse.executor.max-platform-threads=0")
			.run((context) -> assertThat(failureMessages(context))
				.contains("sse.executor.max-platform-threads must be at least 1, was 0"));
	}

	@Test
	void failsToStartWithAHeartbeatThatIsNotADuration() {
		this.contextRunner.withPropertyValues("sse.heartbeat=often")
			.run((context) -> assertThat(failureMessages(context)).contains("'sse.heartbeat'")
				.contains("'often' is not a valid duration"));
	}

	/** The messages of the startup failure and all its causes, one per line. */
	@Test
	void failsToStartWithAnEndpointWhoseHeartbeatIsNotADuration() {
		this.contextRunner.withUserConfiguration(BadEndpointController.class)
			.run((context) -> assertThat(failureMessages(context)).contains("@SseEndpoint on")
				.contains("BadEndpointController.ticks()")
				.contains("heartbeat 'often' is not a duration"));
	}

	@RestController
	static class BadEndpointController {

		@GetMapping("/ticks")
		@SseEndpoint(heartbeat = "often")
		Stream<String> ticks() {
			return Stream.empty();
		}

	}

	private static String failureMessages(AssertableWebApplicationContext context) {
		assertThat(context).hasFailed();
		StringBuilder messages = new StringBuilder();
		for (Throwable failure = context.getStartupFailure(); failure != null; failure = failure.getCause()) {
			messages.append(failure.getMessage()).append('\n');
		}
		return messages.toString();
	}

	private static MethodParameter returnTypeOf(String methodName) {
		try {
			return new MethodParameter(SampleController.class.getDeclaredMethod(methodName), -1);
		}
		catch (NoSuchMethodException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Point(int x, int y, String pointName) {
	}

	static class SampleController {

		Stream<SseItem<String>> stream() {
			return Stream.empty();
		}

		Flux<String> flux() {
			return Flux.empty();
		}

		Stream<String> plainStream() {
			return Stream.empty();
		}

		Flux<SseItem<String>> fluxOfItems() {
			return Flux.empty();
		}

		Flux<ServerSentEvent<String>> fluxOfServerSentEvents() {
			return Flux.empty();
		}

		@SseEndpoint
		Flux<String> annotatedFlux() {
			return Flux.empty();
		}

		@GetMapping(path = "/producing", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<String> producingFlux() {
			return Flux.empty();
		}

		@GetMapping(path = "/json", produces = MediaType.APPLICATION_JSON_VALUE)
		Flux<String> jsonFlux() {
			return Flux.empty();
		}

		String text() {
			return "";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomDataEncoderConfiguration {

		final SseDataEncoder encoder = (data) -> "custom";

		@Bean
		SseDataEncoder customDataEncoder() {
			return this.encoder;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomConnectionManagerConfiguration {

		final SseConnectionManager manager = new SseConnectionManager(1, null, null, SseListener.none());

		@Bean
		SseConnectionManager customConnectionManager() {
			return this.manager;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomFrameEncoderConfiguration {

		final SseFrameEncoder encoder = new SseFrameEncoder((data) -> "custom");

		@Bean
		SseFrameEncoder customFrameEncoder() {
			return this.encoder;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomReturnValueHandlerConfiguration {

		SseReturnValueHandler handler;

		@Bean
		SseReturnValueHandler customReturnValueHandler(ServletStreams connections, ResumableStreams streams) {
			this.handler = new SseReturnValueHandler(connections, new SseFrameEncoder(String::valueOf),
					new SseEndpointSettings(null, Duration.ofSeconds(1), null, null), 256, streams,
					(user, topic) -> true, getClass().getClassLoader());
			return this.handler;
		}

	}

}
