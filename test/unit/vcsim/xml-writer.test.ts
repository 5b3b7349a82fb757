import { describe, expect, it } from 'vitest';
import { faultEnvelope, faults } from '#local/vcsim/soap/faults';
import { anyType, arr, enumValue, moref, obj, str } from '#local/vcsim/soap/vim-value';
import { envelope, methodResponse, writeElement } from '#local/vcsim/soap/xml-writer';

describe('vcsim xml-writer', () => {
  it('writes the exact vCenter envelope with xmlns="urn:vim25" on the response element', () => {
    // Act
    const xml = envelope(methodResponse('CloneVM_Task', moref('Task', 'task-518718')));
    // Assess
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"\n xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema"\n xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n<soapenv:Body>\n<CloneVM_TaskResponse xmlns="urn:vim25"><returnval type="Task">task-518718</returnval></CloneVM_TaskResponse>\n</soapenv:Body>\n</soapenv:Envelope>',
    );
  });

  it('writes void responses self-closing', () => {
    // Assess
    expect(methodResponse('DestroyPropertyFilter', undefined)).toBe(
      '<DestroyPropertyFilterResponse xmlns="urn:vim25"/>',
    );
  });

  it('wraps arrays in anyType slots in ArrayOfX with items named after the item type', () => {
    // Act
    const refs = writeElement('val', arr('ManagedObjectReference', [moref('HostSystem', 'host-14')]), true);
    const strings = writeElement('val', arr('string', [str('a')]), true);
    // Assess
    expect(refs).toBe(
      '<val xsi:type="ArrayOfManagedObjectReference"><ManagedObjectReference type="HostSystem" xsi:type="ManagedObjectReference">host-14</ManagedObjectReference></val>',
    );
    expect(strings).toBe('<val xsi:type="ArrayOfString"><string xsi:type="xsd:string">a</string></val>');
  });

  it('types primitives and enums only in anyType slots and escapes text', () => {
    // Act
    const plain = writeElement('name', str('a<b&c'), false);
    const typed = writeElement('val', enumValue('TaskInfoState', 'success'), true);
    const option = writeElement(
      'o',
      obj('OptionValue', [
        ['key', str('k')],
        ['value', anyType(str('v'))],
      ]),
      false,
    );
    // Assess
    expect(plain).toBe('<name>a&lt;b&amp;c</name>');
    expect(typed).toBe('<val xsi:type="TaskInfoState">success</val>');
    expect(option).toBe('<o><key>k</key><value xsi:type="xsd:string">v</value></o>');
  });

  it('writes faults as HTTP-500 bodies with ServerFaultCode and a <TypeFault xsi:type="Type"> detail', () => {
    // Act
    const xml = faultEnvelope(faults.invalidPowerState('poweredOn', 'poweredOff'));
    // Assess
    expect(xml).toContain(
      '<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The attempted operation cannot be performed in the current state (Powered off).</faultstring><detail><InvalidPowerStateFault xmlns="urn:vim25" xsi:type="InvalidPowerState"><requestedState>poweredOn</requestedState><existingState>poweredOff</existingState></InvalidPowerStateFault></detail></soapenv:Fault>',
    );
  });
});
