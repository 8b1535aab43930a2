import type { Questionnaire } from "#/rules/types.ts";

/**
 * England's supported self-assessment questionnaire, as data.
 *
 * The outcomes, and the meanings of "unable to achieve", are those of the Care and Support (Eligibility
 * Criteria) Regulations 2015 (SI 2015/313), reg 2. The graded questions ("items") and their points are
 * Upfront's example RAS scoring, not law: a council may publish its own version under a new id. Points
 * only price an indicative budget; eligibility is decided from the recorded facts, never from points.
 *
 * Ids are stable: never change what an existing id means; publish a new questionnaire version instead.
 */

const REGS = "Care and Support (Eligibility Criteria) Regulations 2015";
const REGS_URL = "https://www.legislation.gov.uk/uksi/2015/313/regulation/2";

export const ENGLAND_QUESTIONNAIRE_ID = "england-sdsa-2026.1";

export const englandQuestionnaire: Questionnaire = {
  id: ENGLAND_QUESTIONNAIRE_ID,
  version: "2026.1",
  jurisdiction: "england",
  title: "Your care and support needs (supported self-assessment)",
  sources: [
    { title: REGS, provision: "reg 2", url: REGS_URL },
    {
      title: "Care Act 2014",
      provision: "s13 (the eligibility criteria)",
      url: "https://www.legislation.gov.uk/ukpga/2014/23/section/13",
    },
    {
      title: "Care and Support Statutory Guidance",
      provision:
        "chapter 6 (assessment and eligibility); 11.22–11.24 (personal budgets and allocation methods)",
      url: "https://www.gov.uk/government/publications/care-act-statutory-guidance/care-and-support-statutory-guidance",
    },
    {
      title: "NHS England, Adult Social Care Client Level Data: primary support reason",
      url: "https://digital.nhs.uk/data-and-information/data-collections-and-data-sets/data-collections/adult-social-care-client-level-data",
      note: "*check*: category list read from a secondary copy (the SALT/CLD list as used in NHS Interweave and council forms)",
    },
  ],
  outcomes: [
    {
      id: "nutrition",
      provision: `${REGS}, reg 2(2)(a)`,
      statutoryWording: "managing and maintaining nutrition",
      label: "getting enough to eat and drink",
      question: "Can you get, make and eat enough food and drink on your own?",
      hint: "Think about shopping for food, cooking, and eating and drinking.",
      items: [
        {
          id: "nutrition.meal_preparation",
          text: "Making meals and drinks",
          options: [
            { id: "independent", label: "I make my own meals and drinks", points: 0 },
            { id: "prompting", label: "I need reminding or someone to check on me", points: 2 },
            { id: "some_help", label: "I need help to make some meals", points: 4 },
            { id: "full_help", label: "Someone has to make all my meals and drinks", points: 8 },
          ],
        },
        {
          id: "nutrition.eating_drinking",
          text: "Eating and drinking",
          options: [
            { id: "independent", label: "I eat and drink without help", points: 0 },
            { id: "prompting", label: "I need reminding or encouraging to eat or drink", points: 2 },
            { id: "some_help", label: "I need some help, such as cutting up food", points: 5 },
            {
              id: "full_help",
              label: "I need help with every meal, or there is a risk such as choking",
              points: 10,
            },
          ],
        },
        {
          id: "nutrition.getting_food",
          text: "Getting food in",
          options: [
            { id: "independent", label: "I shop or order food myself", points: 0 },
            { id: "some_help", label: "I need help to plan or order food", points: 1 },
            { id: "full_help", label: "Someone has to get all my food for me", points: 3 },
          ],
        },
      ],
    },
    {
      id: "personal_hygiene",
      provision: `${REGS}, reg 2(2)(b)`,
      statutoryWording: "maintaining personal hygiene",
      label: "keeping yourself clean",
      question: "Can you keep yourself and your clothes clean on your own?",
      items: [
        {
          id: "personal_hygiene.washing",
          text: "Washing your body and hair",
          options: [
            { id: "independent", label: "I wash without help", points: 0 },
            { id: "prompting", label: "I need reminding to wash", points: 2 },
            {
              id: "some_help",
              label: "I need help with some parts, such as getting in and out of the bath",
              points: 5,
            },
            { id: "full_help", label: "Someone has to wash me", points: 9 },
          ],
        },
        {
          id: "personal_hygiene.laundry",
          text: "Washing your clothes and bedding",
          options: [
            { id: "independent", label: "I do my own washing", points: 0 },
            { id: "some_help", label: "I need some help", points: 1 },
            { id: "full_help", label: "Someone has to do it for me", points: 3 },
          ],
        },
      ],
    },
    {
      id: "toilet_needs",
      provision: `${REGS}, reg 2(2)(c)`,
      statutoryWording: "managing toilet needs",
      label: "using the toilet",
      question: "Can you get to and use the toilet, and manage continence, on your own?",
      items: [
        {
          id: "toilet_needs.day",
          text: "Using the toilet during the day",
          options: [
            { id: "independent", label: "I manage without help", points: 0 },
            { id: "prompting", label: "I need reminding", points: 2 },
            { id: "some_help", label: "I need help some of the time", points: 5 },
            { id: "full_help", label: "I need help every time", points: 9 },
          ],
        },
        {
          id: "toilet_needs.night",
          text: "Using the toilet or managing continence at night",
          options: [
            { id: "independent", label: "I manage without help", points: 0 },
            { id: "some_help", label: "I need help some nights", points: 3 },
            { id: "full_help", label: "I need help most nights", points: 8 },
          ],
        },
      ],
    },
    {
      id: "clothing",
      provision: `${REGS}, reg 2(2)(d)`,
      statutoryWording: "being appropriately clothed",
      label: "getting dressed",
      question:
        "Can you dress yourself in clothes that suit the weather and what you are doing, on your own?",
      items: [
        {
          id: "clothing.dressing",
          text: "Getting dressed and undressed",
          options: [
            { id: "independent", label: "I dress without help", points: 0 },
            { id: "prompting", label: "I need reminding, or help to choose suitable clothes", points: 2 },
            { id: "some_help", label: "I need help with some things, such as buttons or shoes", points: 3 },
            { id: "full_help", label: "Someone has to dress me", points: 6 },
          ],
        },
      ],
    },
    {
      id: "home_safety",
      provision: `${REGS}, reg 2(2)(e)`,
      statutoryWording: "being able to make use of the adult's home safely",
      label: "moving around and staying safe at home",
      question: "Can you move around your home and use it safely on your own?",
      hint: "Think about stairs, getting in and out of bed or a chair, the cooker, and answering the door.",
      items: [
        {
          id: "home_safety.moving_around",
          text: "Moving around your home, and getting in and out of bed or a chair",
          options: [
            { id: "independent", label: "I manage without help", points: 0 },
            {
              id: "equipment",
              label: "I manage with equipment, such as rails or a walking frame",
              points: 1,
            },
            { id: "some_help", label: "I need someone to help me some of the time", points: 4 },
            { id: "full_help", label: "I need someone to help me every time, or two people", points: 10 },
          ],
        },
        {
          id: "home_safety.staying_safe",
          text: "Staying safe at home, such as using the cooker, knowing who is at the door, or not falling",
          options: [
            { id: "independent", label: "I stay safe without help", points: 0 },
            { id: "checks", label: "I need someone to check on me now and then", points: 2 },
            { id: "nearby", label: "I need someone nearby for most of the day", points: 6 },
            { id: "constant", label: "I need someone with me all the time, day and night", points: 12 },
          ],
        },
      ],
    },
    {
      id: "habitable_home",
      provision: `${REGS}, reg 2(2)(f)`,
      statutoryWording: "maintaining a habitable home environment",
      label: "keeping your home fit to live in",
      question:
        "Can you keep your home clean and safe enough to live in, with gas, water and electricity kept on, on your own?",
      items: [
        {
          id: "habitable_home.cleaning",
          text: "Cleaning and tidying",
          options: [
            { id: "independent", label: "I do it myself", points: 0 },
            { id: "some_help", label: "I need help with heavier jobs", points: 1 },
            { id: "full_help", label: "Someone has to do most of it for me", points: 3 },
          ],
        },
        {
          id: "habitable_home.bills_and_repairs",
          text: "Paying bills and getting repairs done",
          options: [
            { id: "independent", label: "I do it myself", points: 0 },
            { id: "some_help", label: "I need some help", points: 1 },
            { id: "full_help", label: "Someone has to do it for me", points: 2 },
          ],
        },
      ],
    },
    {
      id: "relationships",
      provision: `${REGS}, reg 2(2)(g)`,
      statutoryWording: "developing and maintaining family or other personal relationships",
      label: "keeping in touch with family and friends",
      question:
        "Can you see and keep in touch with your family and friends, and make new friends, on your own?",
      items: [
        {
          id: "relationships.keeping_in_touch",
          text: "Seeing and keeping in touch with people who matter to you",
          options: [
            { id: "independent", label: "I manage without help", points: 0 },
            { id: "some_help", label: "I need some help, such as arranging visits", points: 2 },
            { id: "regular_help", label: "I need regular help to see people", points: 4 },
            { id: "full_help", label: "I cannot see people unless someone is with me", points: 6 },
          ],
        },
      ],
    },
    {
      id: "work_training_education_volunteering",
      provision: `${REGS}, reg 2(2)(h)`,
      statutoryWording: "accessing and engaging in work, training, education or volunteering",
      label: "work, training, learning or volunteering",
      question:
        "Can you get to and take part in the work, training, learning or volunteering you want to do, on your own?",
      items: [
        {
          id: "work_training_education_volunteering.taking_part",
          text: "Taking part in work, training, learning or volunteering",
          options: [
            {
              id: "independent",
              label: "I manage without help, or it is not something I want to do now",
              points: 0,
            },
            { id: "some_help", label: "I need some help to find it or keep it going", points: 2 },
            { id: "regular_help", label: "I need regular support to take part", points: 5 },
            { id: "full_help", label: "I need someone with me while I take part", points: 8 },
          ],
        },
      ],
    },
    {
      id: "community_facilities",
      provision: `${REGS}, reg 2(2)(i)`,
      statutoryWording:
        "making use of necessary facilities or services in the local community including public transport, and recreational facilities or services",
      label: "getting out and using local places and transport",
      question:
        "Can you get out and use local shops, services, public transport and leisure places on your own?",
      items: [
        {
          id: "community_facilities.getting_about",
          text: "Getting about, including public transport",
          options: [
            { id: "independent", label: "I get about without help", points: 0 },
            { id: "planning", label: "I need help to plan journeys", points: 1 },
            { id: "some_help", label: "I need someone with me some of the time", points: 3 },
            { id: "full_help", label: "I need someone with me every time", points: 6 },
          ],
        },
        {
          id: "community_facilities.using_services",
          text: "Using shops, the doctor, the library, leisure centres and other local places",
          options: [
            { id: "independent", label: "I manage without help", points: 0 },
            { id: "some_help", label: "I need some help", points: 2 },
            { id: "full_help", label: "I need help every time", points: 4 },
          ],
        },
      ],
    },
    {
      id: "caring_for_child",
      provision: `${REGS}, reg 2(2)(j)`,
      statutoryWording: "carrying out any caring responsibilities the adult has for a child",
      label: "looking after a child you care for",
      question: "If you look after a child, can you do that on your own?",
      hint: "If you do not look after a child, answer yes.",
      items: [
        {
          id: "caring_for_child.caring",
          text: "Looking after a child",
          options: [
            { id: "not_applicable", label: "I do not look after a child", points: 0 },
            { id: "independent", label: "I look after a child without help", points: 0 },
            { id: "some_help", label: "I need some help", points: 3 },
            { id: "full_help", label: "I need a lot of help", points: 6 },
          ],
        },
      ],
    },
  ],
  unableToAchieveMeanings: [
    {
      id: "needs_assistance",
      label: "cannot do it without help, including being reminded or prompted",
      officialWording: "is unable to achieve it without assistance (reg 2(3)(a))",
    },
    {
      id: "significant_pain_distress_anxiety",
      label: "can do it, but only with a lot of pain, distress or anxiety",
      officialWording:
        "is able to achieve it without assistance but doing so causes the adult significant pain, distress or anxiety (reg 2(3)(b))",
    },
    {
      id: "endangers_health_safety",
      label: "can do it, but it puts your health or safety, or someone else's, at risk",
      officialWording:
        "is able to achieve it without assistance but doing so endangers or is likely to endanger the health or safety of the adult, or of others (reg 2(3)(c))",
    },
    {
      id: "takes_significantly_longer",
      label: "can do it, but it takes much longer than it normally would",
      officialWording:
        "is able to achieve it without assistance but takes significantly longer than would normally be expected (reg 2(3)(d))",
    },
  ],
  // NHS England Client Level Data / SALT primary support reasons, grouped (see sources: *check*).
  primarySupportReasons: [
    {
      id: "physical_access_and_mobility",
      group: "physical_support",
      label: "Physical support: access and mobility only",
    },
    {
      id: "physical_personal_care",
      group: "physical_support",
      label: "Physical support: personal care support",
    },
    {
      id: "sensory_visual",
      group: "sensory_support",
      label: "Sensory support: support for visual impairment",
    },
    {
      id: "sensory_hearing",
      group: "sensory_support",
      label: "Sensory support: support for hearing impairment",
    },
    { id: "sensory_dual", group: "sensory_support", label: "Sensory support: support for dual impairment" },
    { id: "memory_and_cognition", group: "memory_and_cognition", label: "Support with memory and cognition" },
    { id: "learning_disability", group: "learning_disability", label: "Learning disability support" },
    { id: "mental_health", group: "mental_health", label: "Mental health support" },
    {
      id: "social_substance_misuse",
      group: "social_support",
      label: "Social support: substance misuse support",
    },
    { id: "social_asylum_seeker", group: "social_support", label: "Social support: asylum seeker support" },
    {
      id: "social_isolation_other",
      group: "social_support",
      label: "Social support: support for social isolation or other",
    },
  ],
  livingSituations: [
    { id: "lives_alone", label: "Lives alone" },
    { id: "lives_with_partner", label: "Lives with a partner" },
    { id: "lives_with_family", label: "Lives with family (not a partner)" },
    { id: "lives_with_others", label: "Lives with friends or other people" },
    { id: "supported_living", label: "Supported living" },
    { id: "shared_lives", label: "Shared Lives (lives with a Shared Lives carer)" },
    { id: "other", label: "Other" },
  ],
  wellbeingImpacts: [
    { id: "none", label: "No impact on wellbeing" },
    { id: "some", label: "Some impact on wellbeing, but not significant" },
    {
      id: "significant",
      label: "A significant impact on wellbeing, now or likely",
      officialWording:
        "there is, or is likely to be, a significant impact on the adult's well-being (reg 2(1)(c))",
    },
  ],
};
