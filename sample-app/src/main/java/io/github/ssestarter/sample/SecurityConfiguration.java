package io.github.ssestarter.sample;

import java.util.Set;

import io.github.ssestarter.SseTopicAuthorizer;
import jakarta.servlet.DispatcherType;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.www.BasicAuthenticationEntryPoint;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * Who may do what: notifications and team rooms need a signed-in user, everything else is open
 * (which team rooms a user may use is {@link TeamController}'s business). Users sign in with
 * HTTP Basic (scripts, curl) or through the dashboard's login form (browsers, whose
 * {@code EventSource} then sends the session cookie).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		BasicAuthenticationEntryPoint basic = new BasicAuthenticationEntryPoint();
		basic.setRealmName("sse-sample");
		// A browser's EventSource gets a bare 401, so that it does not pop up its own sign-in dialog.
		MediaTypeRequestMatcher eventStreams = new MediaTypeRequestMatcher(MediaType.TEXT_EVENT_STREAM);
		eventStreams.setIgnoredMediaTypes(Set.of(MediaType.ALL));
		http.authorizeHttpRequests((requests) -> requests
				// A stream's end is an asynchronous dispatch of the request that was authorized when it
				// opened; after a sign-out it would be denied and break the stream's clean end.
				.dispatcherTypeMatchers(DispatcherType.ASYNC).permitAll()
				.requestMatchers("/api/notifications/**", "/api/teams/**").authenticated()
				// The page, the other streams and Actuator's health, metrics and sse endpoints (the only
				// ones exposed; open to anyone for the demo, secure them in a real application).
				.anyRequest().permitAll())
			.httpBasic((httpBasic) -> httpBasic.authenticationEntryPoint(basic))
			.formLogin((form) -> form.loginPage("/").loginProcessingUrl("/login").defaultSuccessUrl("/", true))
			.logout((logout) -> logout.logoutSuccessUrl("/"))
			// Signing in always lands on the dashboard, so there is no request to remember (nor a session
			// to create for an API client that forgot its credentials).
			.requestCache((cache) -> cache.requestCache(new NullRequestCache()))
			.exceptionHandling((exceptions) -> exceptions
				.defaultAuthenticationEntryPointFor(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED), eventStreams)
				.defaultAuthenticationEntryPointFor(basic, PathPatternRequestMatcher.pathPattern("/api/**")))
			// The JSON API is called by scripts with HTTP Basic and by the page with fetch; its writes
			// need a JSON or text body and the session cookie is SameSite=Lax, so cross-site forms
			// cannot use it. The page's login and logout forms carry a CSRF token (see SessionController).
			.csrf((csrf) -> csrf.ignoringRequestMatchers("/api/**", "/actuator/**"));
		return http.build();
	}

	/**
	 * Lets only a team's members subscribe to its topic, {@code team:<team>}; every other topic is
	 * open to whoever may reach its endpoint.
	 * @param teams who is in which team
	 * @return the authorizer the starter asks before a subscription opens
	 */
	@Bean
	SseTopicAuthorizer teamTopics(Teams teams) {
		return (user, topic) -> !topic.startsWith("team:")
				|| (user != null && teams.isMember(user.getName(), topic.substring("team:".length())));
	}

	/**
	 * The demo users, alice/alice and bob/bob. Plain-text passwords are for the demo only.
	 * @return the user store
	 */
	@Bean
	InMemoryUserDetailsManager users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}alice").roles("USER").build(),
				User.withUsername("bob").password("{noop}bob").roles("USER").build());
	}

}
