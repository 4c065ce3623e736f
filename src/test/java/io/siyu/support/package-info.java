/**
 * Everything the tests share, in one place, so a test class holds only its own cases.
 *
 * <ul>
 *   <li>Servers: {@link io.siyu.support.TestSiyu} starts the one shared Siyu of a test run and
 *       every other Siyu a test starts and stops ({@code start}, {@code startInBackground},
 *       {@code stop}); {@link io.siyu.support.OwnServer} is a class's own server as a JUnit
 *       extension; {@link io.siyu.support.SiyuProcess} is Siyu as a process of its own.
 *   <li>Requests: {@link io.siyu.support.Api}, from {@code TestSiyu.admin()}, {@code as(...)} or
 *       {@code OwnServer.api()}/{@code as(...)}; every request goes out through
 *       {@code Api.send}; {@link io.siyu.support.Person} is a person signed in with the session
 *       cookie and CSRF token, its requests going through the same {@code Api.send}.
 *   <li>Waiting: {@link io.siyu.support.Await} for a future's result or failure,
 *       {@link io.siyu.support.Eventually} for what Siyu does in the background.
 *   <li>Fakes of the providers outside, each a {@link io.siyu.support.Fake} on a free loopback
 *       port: {@link io.siyu.support.FakeWecom} (the WeCom server API),
 *       {@link io.siyu.support.FakeSmsGateway}, {@link io.siyu.support.SmtpServer} and
 *       {@link io.siyu.support.ScriptedSmtpServer}, {@link io.siyu.support.WebhookSink}.
 *   <li>Pages: {@link io.siyu.support.Browser}, the machine's chromium driven by Playwright, a
 *       fresh profile per page, with the page's script errors and failed answers collected.
 *   <li>Small things: {@link io.siyu.support.Unique#unique()}, {@link io.siyu.support.Ports},
 *       {@link io.siyu.support.Envs}, {@link io.siyu.support.TestClock},
 *       {@link io.siyu.support.Signatures}, {@link io.siyu.support.ConsoleCapture},
 *       {@link io.siyu.support.WebProject}.
 * </ul>
 */
package io.siyu.support;
