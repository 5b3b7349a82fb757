import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVcSim, type VcSimHandle } from '#local/vcsim/index';
import { child, childText } from '#local/vcsim/soap/xml-reader';
import { expectOk, faultType, VimTestClient } from './vim-client.js';

const SERVICE_INSTANCE = ['ServiceInstance', 'ServiceInstance'] as const;
const SESSION_MANAGER = ['SessionManager', 'SessionManager'] as const;

describe('vcsim: HTTP, envelope, faults and sessions', () => {
  let vc: VcSimHandle;
  beforeAll(async () => {
    vc = await startVcSim({ taskDurationMs: 0, username: 'admin', password: 'secret', apiVersion: '8.0.2.0' });
  });
  afterAll(() => vc.close());

  it('serves vimServiceVersions.xml with the configured API version', async () => {
    // Act
    const response = await fetch(new URL('/sdk/vimServiceVersions.xml', vc.url));
    // Assess
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('<name>urn:vim25</name>');
    expect(text).toContain('<version>8.0.2.0</version>');
  });

  it('answers 405 to GET on the SOAP endpoint and 404 elsewhere', async () => {
    // Act
    const get = await fetch(vc.url);
    const other = await fetch(new URL('/nope', vc.url));
    // Assess
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(other.status).toBe(404);
  });

  it('answers RetrieveServiceContent anonymously with vCenter moids and the configured apiVersion', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    // Act
    const reply = await client.call('RetrieveServiceContent', SERVICE_INSTANCE);
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.setCookie).toBeNull();
    expect(reply.xml).toContain(
      '<RetrieveServiceContentResponse xmlns="urn:vim25"><returnval><rootFolder type="Folder">group-d1</rootFolder>',
    );
    expect(reply.xml).toContain('<propertyCollector type="PropertyCollector">propertyCollector</propertyCollector>');
    expect(reply.xml).toContain(
      '<vmProvisioningChecker type="VirtualMachineProvisioningChecker">ProvChecker</vmProvisioningChecker>',
    );
    expect(reply.xml).toContain('<apiVersion>8.0.2.0</apiVersion><instanceUuid>');
    expect(reply.xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenc=')).toBe(true);
  });

  it('also serves SOAP on /sdk/vimService', async () => {
    // Prepare
    const client = new VimTestClient(`${vc.url}/vimService`);
    // Act
    const reply = await client.call('RetrieveServiceContent', SERVICE_INSTANCE);
    // Assess
    expect(reply.status).toBe(200);
  });

  it('faults NotAuthenticated with HTTP 500 and typed detail before Login', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    // Act
    const reply = await client.call(
      'FindByInventoryPath',
      ['SearchIndex', 'SearchIndex'],
      '<inventoryPath>/DC0</inventoryPath>',
    );
    // Assess
    expect(reply.status).toBe(500);
    expect(faultType(reply)).toBe('NotAuthenticated');
    expect(childText(reply.body, 'faultcode')).toBe('ServerFaultCode');
    expect(childText(reply.body, 'faultstring')).toBe('The session is not authenticated.');
    expect(reply.xml).toContain('<detail><NotAuthenticatedFault xmlns="urn:vim25" xsi:type="NotAuthenticated">');
  });

  it('rejects wrong credentials with InvalidLogin and sets no cookie', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    // Act
    const reply = await client.login('admin', 'wrong');
    // Assess
    expect(faultType(reply)).toBe('InvalidLogin');
    expect(childText(reply.body, 'faultstring')).toBe(
      'Cannot complete login due to an incorrect user name or password.',
    );
    expect(reply.setCookie).toBeNull();
  });

  it('sets the quoted vmware_soap_session cookie on Login and accepts it quoted or unquoted', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    // Act
    const login = await client.login('admin', 'secret');
    const value = /vmware_soap_session="([0-9a-f]+)"/.exec(login.setCookie ?? '')?.[1];
    client.cookie = `vmware_soap_session=${value}`;
    const unquoted = await client.call('CurrentTime', SERVICE_INSTANCE);
    client.cookie = login.setCookie ?? '';
    const echoedWhole = await client.call('CurrentTime', SERVICE_INSTANCE);
    // Assess
    expect(login.setCookie).toMatch(/^vmware_soap_session="[0-9a-f]{40}"; Path=\/; HttpOnly;$/);
    expect(unquoted.status).toBe(200);
    expect(echoedWhole.status).toBe(200);
  });

  it('invalidates the session on Logout', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    await client.login('admin', 'secret');
    // Act
    const logout = await client.call('Logout', SESSION_MANAGER);
    const after = await client.call('CurrentTime', SERVICE_INSTANCE);
    // Assess
    expect(logout.xml).toContain('<LogoutResponse xmlns="urn:vim25"/>');
    expect(faultType(after)).toBe('NotAuthenticated');
  });

  it('ends every session on expireSessions', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    await client.login('admin', 'secret');
    // Act
    vc.sim.expireSessions();
    const after = await client.call('CurrentTime', SERVICE_INSTANCE);
    // Assess
    expect(faultType(after)).toBe('NotAuthenticated');
  });

  it('answers an unauthenticated RetrievePropertiesEx with missingSet NotAuthenticated, as vCenter does', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    // Act
    const reply = await client.call(
      'RetrievePropertiesEx',
      ['PropertyCollector', 'propertyCollector'],
      '<specSet><propSet><type>Folder</type><pathSet>name</pathSet></propSet><objectSet><obj type="Folder">group-d1</obj></objectSet></specSet><options/>',
    );
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.xml).toContain('<missingSet><path>name</path><fault><fault xsi:type="NotAuthenticated">');
  });

  it('faults an unauthenticated RetrievePropertiesEx with NotAuthenticated when configured to', async () => {
    // Prepare
    const strict = await startVcSim({ unauthenticatedRetrieve: 'fault' });
    const client = new VimTestClient(strict.url);
    try {
      // Act
      const reply = await client.call(
        'RetrievePropertiesEx',
        ['PropertyCollector', 'propertyCollector'],
        '<specSet><propSet><type>Folder</type><pathSet>name</pathSet></propSet><objectSet><obj type="Folder">group-d1</obj></objectSet></specSet><options/>',
      );
      // Assess
      expect(faultType(reply)).toBe('NotAuthenticated');
    } finally {
      await strict.close();
    }
  });

  it('faults ManagedObjectNotFound for an unknown _this with vCenter\u2019s message', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    await client.login('admin', 'secret');
    // Act
    const reply = await client.call('PowerOffVM_Task', ['VirtualMachine', 'vm-999999']);
    // Assess
    expect(faultType(reply)).toBe('ManagedObjectNotFound');
    expect(childText(reply.body, 'faultstring')).toBe(
      "The object 'vim.VirtualMachine:vm-999999' has already been deleted or has not been completely created",
    );
    expect(reply.xml).toContain('<obj type="VirtualMachine">vm-999999</obj>');
  });

  it('faults MethodNotFound for an unknown method', async () => {
    // Prepare
    const client = new VimTestClient(vc.url);
    await client.login('admin', 'secret');
    // Act
    const reply = await client.call('MakeCoffee_Task', ['ServiceInstance', 'ServiceInstance']);
    // Assess
    expect(faultType(reply)).toBe('MethodNotFound');
    expect(childText(child(child(reply.body, 'detail')!, 'MethodNotFoundFault')!, 'method')).toBe('MakeCoffee_Task');
  });

  it('keeps a session alive across calls and expires it after the idle timeout', async () => {
    // Prepare
    const short = await startVcSim({ sessionIdleTimeoutMs: 500 });
    const client = new VimTestClient(short.url);
    try {
      expectOk(await client.login());
      // Act
      const fresh = await client.call('CurrentTime', SERVICE_INSTANCE);
      await new Promise((r) => setTimeout(r, 800));
      const idle = await client.call('CurrentTime', SERVICE_INSTANCE);
      // Assess
      expect(fresh.status).toBe(200);
      expect(faultType(idle)).toBe('NotAuthenticated');
    } finally {
      await short.close();
    }
  });
});
