package io.github.ssestarter.benchmarks.runner;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The class path a server JVM is started with: the runner's own classes and the {@code lib/}
 * folder beside them (as laid out by {@code mvn package}), or failing that the runner's class path,
 * less the starter's jars for a server that does not use it, the Redis client's for a server
 * without Redis, and those of the web servers and stack it does not run on.
 *
 * <p>The runner's jar names every jar in {@code lib/} in its manifest's {@code Class-Path} (for
 * {@code java -jar}), and a JVM follows that attribute for every jar on its class path too, which
 * would bring back the jars left out here. Servers therefore get a copy of the jar without it
 * ({@value #SERVER_JAR}, beside the runner's jar).
 */
final class ServerClasspath {

	private static final List<String> STARTER_ARTIFACTS = List.of("sse-spring-boot-autoconfigure",
			"sse-spring-boot-starter");

	/** Jars only Spring Data Redis brings (file name prefixes); kept off servers without Redis. */
	private static final List<String> REDIS_ARTIFACTS = List.of("spring-boot-starter-data-redis",
			"spring-boot-data-redis", "spring-boot-data-commons", "spring-boot-persistence", "spring-boot-transaction",
			"spring-data-", "spring-tx-", "spring-oxm-", "spring-context-support-", "spring-messaging-",
			"lettuce-core-", "redis-authx-", "jakarta.xml.bind-api-", "jakarta.activation-api-");

	/** Netty, which Lettuce and Reactor Netty need; kept off servlet servers without Redis. */
	private static final List<String> NETTY_ARTIFACTS = List.of("spring-boot-netty", "netty-");

	/** Spring MVC; kept off servers on WebFlux, so that Spring Boot runs them on WebFlux. */
	private static final List<String> MVC_ARTIFACTS = List.of("spring-boot-starter-webmvc", "spring-boot-webmvc",
			"spring-webmvc-", "spring-boot-servlet");

	/** Tomcat; kept off servers on other web servers. */
	private static final List<String> TOMCAT_ARTIFACTS = List.of("spring-boot-starter-tomcat", "spring-boot-tomcat",
			"tomcat-embed-");

	/** Jetty and the APIs only it brings; kept off servers on other web servers. */
	private static final List<String> JETTY_ARTIFACTS = List.of("spring-boot-starter-jetty", "spring-boot-jetty",
			"jetty-", "jakarta.servlet-api-", "jakarta.websocket-", "jakarta.enterprise.", "jakarta.inject-api-",
			"jakarta.interceptor-api-", "jakarta.transaction-api-");

	/**
	 * Spring WebFlux, Reactor Netty and the Netty modules only it brings (HTTP codecs, native
	 * transports: Lettuce would pick up epoll); kept off servers on Spring MVC, as they run today.
	 */
	private static final List<String> REACTIVE_ARTIFACTS = List.of("spring-boot-starter-webflux",
			"spring-boot-webflux", "spring-webflux-", "spring-boot-starter-reactor-netty", "spring-boot-reactor-netty",
			"reactor-netty-", "netty-codec-http", "netty-codec-classes-quic", "netty-codec-native-quic",
			"netty-codec-compression", "netty-codec-socks", "netty-handler-proxy", "netty-transport-classes-epoll",
			"netty-transport-native-epoll", "netty-resolver-dns-classes-macos", "netty-resolver-dns-native-macos");

	/** The runner's jar without the manifest's {@code Class-Path}, for the servers. */
	static final String SERVER_JAR = "sse-benchmarks-servers.jar";

	private static Path serverJar;

	private ServerClasspath() {
	}

	static String forServer(ServerSpec spec) {
		List<String> entries = runnerEntries();
		if (!spec.usesStarter()) {
			entries = entries.stream().filter((entry) -> !isStarterArtifact(entry)).toList();
		}
		List<String> excluded = new ArrayList<>();
		if (!spec.usesRedis()) {
			excluded.addAll(REDIS_ARTIFACTS);
		}
		switch (spec.server()) {
			case TOMCAT, JETTY -> {
				excluded.addAll((spec.server() == ServerSpec.WebServer.TOMCAT) ? JETTY_ARTIFACTS : TOMCAT_ARTIFACTS);
				excluded.addAll(REACTIVE_ARTIFACTS);
				if (!spec.usesRedis()) {
					excluded.addAll(NETTY_ARTIFACTS);
				}
			}
			case NETTY -> {
				excluded.addAll(MVC_ARTIFACTS);
				excluded.addAll(TOMCAT_ARTIFACTS);
				excluded.addAll(JETTY_ARTIFACTS);
			}
		}
		return entries.stream()
			.filter((entry) -> !hasPrefix(entry, excluded))
			.collect(Collectors.joining(File.pathSeparator));
	}

	/**
	 * The folder holding the runner's jar (or classes folder), {@code target} after a build.
	 */
	static Path runnerDirectory() {
		return ownLocation().toAbsolutePath().getParent();
	}

	private static List<String> runnerEntries() {
		Path own = ownLocation();
		Path lib = runnerDirectory().resolve("lib");
		if (Files.isDirectory(lib)) {
			List<String> entries = new ArrayList<>();
			entries.add(withoutManifestClassPath(own).toString());
			try (Stream<Path> jars = Files.list(lib)) {
				jars.filter((jar) -> jar.toString().endsWith(".jar")).sorted().forEach((jar) -> entries.add(jar.toString()));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot list " + lib, ex);
			}
			return entries;
		}
		return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
	}

	/**
	 * A copy of the given jar whose manifest has no {@code Class-Path}, made once per runner; a
	 * classes folder as it is.
	 */
	private static synchronized Path withoutManifestClassPath(Path jar) {
		if (!Files.isRegularFile(jar)) {
			return jar;
		}
		if (serverJar != null) {
			return serverJar;
		}
		Path copy = jar.resolveSibling(SERVER_JAR);
		try {
			Path temporary = Files.createTempFile(jar.getParent(), "sse-benchmarks-servers", ".jar.tmp");
			try (JarFile in = new JarFile(jar.toFile())) {
				Manifest manifest = new Manifest(in.getManifest());
				manifest.getMainAttributes().remove(Attributes.Name.CLASS_PATH);
				try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(temporary), manifest)) {
					for (JarEntry entry : java.util.Collections.list(in.entries())) {
						if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
							continue;
						}
						out.putNextEntry(new JarEntry(entry.getName()));
						try (InputStream content = in.getInputStream(entry)) {
							content.transferTo(out);
						}
						out.closeEntry();
					}
				}
			}
			Files.move(temporary, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + copy, ex);
		}
		serverJar = copy;
		return copy;
	}

	private static Path ownLocation() {
		try {
			return Path.of(ServerClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("Cannot locate the runner's classes", ex);
		}
	}

	private static boolean hasPrefix(String entry, List<String> prefixes) {
		String file = Path.of(entry).getFileName().toString();
		return prefixes.stream().anyMatch(file::startsWith);
	}

	private static boolean isStarterArtifact(String entry) {
		return STARTER_ARTIFACTS.stream().anyMatch(entry::contains);
	}

}
